import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_GROUPS, AUDIT_ACTION_NAMES, actionGroup, actionLabel, isKnownAction } from "./actions";

// Every file of the console's own code that could write an audit row.
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

// `action: "x.y"`, guardedAction's second argument and an audit helper's action argument, and
// auditLink's `step: "…"` (recorded as `connect_link.<step>`). The type already refuses a name
// outside the catalogue; this also catches one slipped past it with a cast.
function recordedActions(): Set<string> {
  const found = new Set<string>();
  const root = path.resolve(__dirname, "../..");
  for (const file of [...sources(path.join(root, "app")), ...sources(path.join(root, "lib"))]) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:action: |guardedAction\(\s*"[^"]+",\s*|auditOf\([^"()]*)"([a-z_]+\.[a-z_]+)"/g)) found.add(m[1]);
    for (const m of text.matchAll(/step: "([a-z_]+)"/g)) found.add(`connect_link.${m[1]}`);
  }
  return found;
}

describe("the audit action catalogue", () => {
  it("gives every action a label and a known group", () => {
    for (const action of AUDIT_ACTION_NAMES) {
      expect(actionLabel(action), action).not.toBe(action);
      expect(Object.keys(ACTION_GROUPS), action).toContain(actionGroup(action));
    }
  });

  it("holds every action the code records, so none shows as its raw name", () => {
    const recorded = [...recordedActions()];
    expect(recorded.length).toBeGreaterThan(30);
    expect(recorded.filter((a) => !isKnownAction(a))).toEqual([]);
  });
});
