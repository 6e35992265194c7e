// What a scenario hands back, how it prints, and how bench/results.md is written. Results of
// earlier runs are kept (.data/bench/last-results.json) so `npm run bench -- 4` updates one
// section and leaves the others as they were, each with its own date.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DATA_DIR } from "./config";

export interface Goal {
  goal: string;
  measured: string;
  /** null: not decided by a number (e.g. a scenario that failed to run). */
  met: boolean | null;
}

export interface Table {
  title?: string;
  head: string[];
  rows: (string | number)[][];
}

export interface ScenarioReport {
  id: number;
  title: string;
  ranAt: string;
  machine: string;
  seconds: number;
  goals: Goal[];
  tables: Table[];
  /** What the figures mean, and what limits them where a goal is missed. */
  notes: string[];
}

export function machine(): string {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${gib} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}`;
}

export const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : "–");
export const kB = (bytes: number) => (bytes / 1000).toFixed(1);
export const mark = (met: boolean | null) => (met === null ? "–" : met ? "met" : "**missed**");

function markdownTable(t: Table): string {
  const esc = (v: string | number) => String(v).replace(/\|/g, "\\|");
  const lines = [`| ${t.head.map(esc).join(" | ")} |`, `|${t.head.map(() => "---").join("|")}|`, ...t.rows.map((r) => `| ${r.map(esc).join(" | ")} |`)];
  return (t.title ? `**${t.title}**\n\n` : "") + lines.join("\n");
}

function plainTable(t: Table): string {
  const cells = [t.head, ...t.rows.map((r) => r.map(String))];
  const widths = t.head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ");
  return [t.title ?? "", line(t.head), widths.map((w) => "-".repeat(w)).join("  "), ...t.rows.map((r) => line(r.map(String)))].filter(Boolean).join("\n");
}

export function printReport(r: ScenarioReport) {
  console.log(`\n=== ${r.id}. ${r.title} (${r.seconds.toFixed(0)} s)`);
  for (const t of r.tables) console.log(`\n${plainTable(t)}`);
  console.log(`\n${plainTable({ head: ["goal", "measured", "verdict"], rows: r.goals.map((g) => [g.goal, g.measured, g.met === null ? "-" : g.met ? "met" : "MISSED"]) })}`);
  for (const n of r.notes) console.log(`- ${n}`);
}

const STORE = path.join(DATA_DIR, "last-results.json");

function loadPrevious(): Record<string, ScenarioReport> {
  try {
    return JSON.parse(fs.readFileSync(STORE, "utf8")) as Record<string, ScenarioReport>;
  } catch {
    return {};
  }
}

export function writeResults(reports: ScenarioReport[], file: string) {
  const all = loadPrevious();
  for (const r of reports) all[r.id] = r;
  fs.mkdirSync(path.dirname(STORE), { recursive: true });
  fs.writeFileSync(STORE, JSON.stringify(all, null, 2));
  const sorted = Object.values(all).sort((a, b) => a.id - b.id);
  const out: string[] = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (see bench/run.ts); do not edit by hand. Every scenario starts the production",
    "build (`.next-bench`) and the Zoho sandbox itself, seeds its own data under `.data/bench/`, and measures",
    "what it compares in the same run. Figures depend on the machine; compare runs on one machine only.",
    "",
    `Machine: ${machine()}`,
    "",
    "## Summary",
    "",
    markdownTable({
      head: ["#", "scenario", "goal", "measured", "verdict"],
      rows: sorted.flatMap((r) => r.goals.map((g) => [r.id, r.title, g.goal, g.measured, mark(g.met)])),
    }),
  ];
  for (const r of sorted) {
    out.push("", `## ${r.id}. ${r.title}`, "", `Run ${r.ranAt} in ${r.seconds.toFixed(0)} s on ${r.machine}.`);
    for (const t of r.tables) out.push("", markdownTable(t));
    if (r.notes.length) out.push("", ...r.notes.map((n) => `- ${n}`));
  }
  fs.writeFileSync(file, `${out.join("\n")}\n`);
}
