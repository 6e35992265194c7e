/**
 * Prometheus text as a test reads it: every series must carry this instance's label, which is
 * then taken out so the assertions name only the labels they are about.
 */
import { expect } from "vitest";

export function withoutInstanceLabel(text: string, instance: string): string {
  const series = text.split("\n").filter((l) => l && !l.startsWith("#"));
  expect(series.length).toBeGreaterThan(0);
  for (const line of series) expect(line).toContain(`console_instance="${instance}"`);
  return text.replace(/,?console_instance="[^"]*"/g, "").replace(/\{\}/g, "").replace(/\{,/g, "{");
}
