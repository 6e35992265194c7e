// Where the server's CPU goes for one route: a V8 CPU profile of the console (node --cpu-prof,
// written when the server exits) split into categories, so a gap between two routes can be put
// down to the code that causes it rather than guessed.
import fs from "node:fs";
import path from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}

export const CATEGORIES = [
  "console code and bundled libraries (drizzle, zod, …)",
  "database driver (better-sqlite3; pg, pg-protocol)",
  "crypto (AES-GCM, SHA-256)",
  "Next.js server",
  "Node.js (HTTP, streams, URL, async hooks)",
  "garbage collection",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Skipped: start-up (module loading) and idle time. */
function categoryOf(f: CallFrame): Category | null {
  const u = f.url;
  if (f.functionName === "(idle)" || f.functionName === "(root)") return null;
  if (f.functionName === "(garbage collector)") return "garbage collection";
  if (/internal\/modules|\/loader$|^node:internal\/vm/.test(u) || f.functionName === "wrapSafe" || f.functionName === "compileFunction") return null;
  if (/better-sqlite3|node_modules\/(pg|pg-protocol|pg-pool|pg-types|pg-connection-string)\//.test(u)) return "database driver (better-sqlite3; pg, pg-protocol)";
  if (/crypto|\/cipher$|\/hash$/.test(u)) return "crypto (AES-GCM, SHA-256)";
  if (u.includes("node_modules/next/")) return "Next.js server";
  if (u.includes("/server/chunks/")) return "console code and bundled libraries (drizzle, zod, …)";
  return "Node.js (HTTP, streams, URL, async hooks)";
}

export function readProfile(dir: string): CpuProfile {
  const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no CPU profile in ${dir}`);
  return JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
}

export interface Split {
  /** Share of the counted CPU time per category (0–1). */
  share: Record<Category, number>;
  /** The functions of the bundled code with most self time: label, ms, a hint from the source. */
  top: { label: string; ms: number; hint: string }[];
}

export function split(profile: CpuProfile): Split {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const time = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const bundled = new Map<string, { frame: CallFrame; us: number }>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!frame) return;
    const cat = categoryOf(frame);
    if (!cat) return;
    time[cat] += us;
    if (cat === CATEGORIES[0]) {
      const key = `${frame.url}:${frame.lineNumber}:${frame.columnNumber}`;
      const entry = bundled.get(key) ?? { frame, us: 0 };
      entry.us += us;
      bundled.set(key, entry);
    }
  });
  const total = Object.values(time).reduce((a, b) => a + b, 0) || 1;
  const share = Object.fromEntries(CATEGORIES.map((c) => [c, time[c] / total])) as Record<Category, number>;
  const top = [...bundled.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, 4)
    .map(({ frame, us }) => ({ label: `${frame.functionName || "(anonymous)"} in ${frame.url.split("/").pop()}`, ms: us / 1000, hint: hintAt(frame) }));
  return { share, top };
}

/** Names the library a minified function comes from, when its surroundings say so. */
function hintAt(frame: CallFrame): string {
  try {
    const source = fs.readFileSync(frame.url.replace(/^file:\/\//, ""), "utf8").split("\n")[frame.lineNumber] ?? "";
    const around = source.slice(Math.max(0, frame.columnNumber - 3000), frame.columnNumber + 3000);
    if (/drizzle/.test(around)) return "drizzle-orm";
    if (/\$ZodType|ZodError/.test(around)) return "zod";
    return "";
  } catch {
    return "";
  }
}
