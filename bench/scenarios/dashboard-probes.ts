// The measuring parts of scenario 4: a page or poll on several consoles at once (alternating with
// each one's /api/health), the CSV export with the server's memory sampled, and the two probes
// that run in a child process on a seeded database (the export's pipeline, the query plans).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { BENCH_AUTH_SECRET, BENCH_ENCRYPTION_KEY } from "../config";
import { cannon, rotate, type Sample } from "../load";
import type { PlanProbeInput, PlanReport } from "../plan-probe";
import { rssMiB, type Server } from "../processes";
import type { BenchTarget } from "../seed";
import { sleep, type Engine } from "./common";

const PER_SIDE = 20;

export interface Probe {
  label: string;
  path: string;
  /** Per engine: the 304 probe's If-None-Match is each console's own ETag. */
  headers?: Partial<Record<Engine, Record<string, string>>>;
  expect: number;
  page: boolean;
}

export interface Measured {
  probe: Probe;
  engine: Engine;
  status: number;
  html: string;
  bytes: number;
  gzipBytes: number;
  url: Sample;
  health: Sample;
}

export interface Console {
  engine: Engine;
  server: Server;
  cookie: string;
}

/**
 * One URL on every console: a first request for its status and body, 3 warm-up requests each,
 * then PER_SIDE sequential requests per console and as many to each console's /api/health, in
 * two rotating slices, so every console sees the same machine.
 */
export async function measure(probe: Probe, consoles: Console[]): Promise<Measured[]> {
  const firsts = [];
  for (const c of consoles) {
    const headers = { cookie: c.cookie, ...probe.headers?.[c.engine] };
    const res = await fetch(`${c.server.url}${probe.path}`, { headers, redirect: "manual" });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== probe.expect) throw new Error(`${probe.path} answered ${res.status} on ${c.engine}, expected ${probe.expect}`);
    await cannon({ url: `${c.server.url}${probe.path}`, headers, connections: 1, amount: 3 });
    firsts.push({ c, headers, status: res.status, body });
  }
  const one = (url: string, headers: Record<string, string>) => () => cannon({ url, headers, connections: 1, amount: PER_SIDE / 2 });
  const loads = firsts.flatMap((f) => [one(`${f.c.server.url}${probe.path}`, f.headers), one(`${f.c.server.url}/api/health`, {})]);
  const samples = await rotate(loads, 2);
  return firsts.map((f, i) => ({
    probe,
    engine: f.c.engine,
    status: f.status,
    html: probe.page ? f.body.toString("utf8") : "",
    bytes: f.body.length,
    gzipBytes: f.body.length ? gzipSync(f.body).length : 0,
    url: samples[2 * i],
    health: samples[2 * i + 1],
  }));
}

/** Waits until the poll's one-minute ETag bucket has at least `seconds` left. */
export async function awayFromMinuteEdge(seconds: number) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await sleep(left + 200);
}

export type CsvRun = Awaited<ReturnType<typeof exportCsv>>;

/** Streams the whole trail as CSV, sampling the server's RSS every 50 ms and at each tenth of the rows. */
export async function exportCsv(server: Server, cookie: string, expectedRows: number) {
  const pid = server.pid();
  const before = rssMiB(pid);
  let peak = before;
  let peakAtRow = 0;
  let lines = 0;
  const timer = setInterval(() => {
    const now = rssMiB(pid);
    if (now > peak) [peak, peakAtRow] = [now, lines];
  }, 50);
  const started = performance.now();
  const timeline: { rows: number; seconds: number; rss: number }[] = [];
  let nextMark = expectedRows / 10;
  let firstByte = NaN;
  let bytes = 0;
  let reads = 0;
  try {
    const res = await fetch(`${server.url}/audit/export.csv`, { headers: { cookie } });
    if (res.status !== 200 || !res.body) throw new Error(`/audit/export.csv answered ${res.status}`);
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (Number.isNaN(firstByte)) firstByte = performance.now() - started;
      bytes += value.length;
      reads += 1;
      for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
      if (lines >= nextMark) {
        timeline.push({ rows: lines - 1, seconds: (performance.now() - started) / 1000, rss: rssMiB(pid) });
        nextMark += expectedRows / 10;
      }
    }
  } finally {
    clearInterval(timer);
  }
  const total = performance.now() - started;
  const after = rssMiB(pid);
  // The lowest RSS after the peak: a fall while rows keep coming is garbage collected, not kept.
  const afterPeak = timeline.filter((t) => t.rows > peakAtRow).map((t) => t.rss);
  return { before, peak, peakAtRow, lowestAfterPeak: afterPeak.length ? Math.min(...afterPeak, after) : after, after, firstByte, total, bytes, reads, rows: lines - 1, timeline };
}

/** Runs a bench script in a child process on `target`, as the console would see it; its last line of JSON. */
export function child<T>(script: string, target: BenchTarget, args: string[], label: string): T | undefined {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY, AUTH_SECRET: BENCH_AUTH_SECRET, LOG_LEVEL: "warn" };
  delete env.CONSOLE_DATABASE_FILE;
  delete env.CONSOLE_DATABASE_URL;
  if ("file" in target) env.CONSOLE_DATABASE_FILE = path.resolve(target.file);
  else env.CONSOLE_DATABASE_URL = target.url;
  const res = spawnSync(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "--conditions=react-server", path.join("bench", script), ...args], {
    encoding: "utf8",
    env,
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  try {
    return JSON.parse(res.stdout.trim().split("\n").at(-1) ?? "") as T;
  } catch {
    console.error(`[bench 4] ${label} failed: ${res.stderr || res.error?.message}`);
    return undefined;
  }
}

/** bench/export-probe.ts: the CSV export's pipeline in-process, without HTTP. */
export const exportPipeline = (target: BenchTarget) =>
  child<{ seconds: number; chunks: number; bytes: number; rssGrowthMiB: number; heapPeakMiB: number }>("export-probe.ts", target, [], "export probe");

/** bench/plan-probe.ts: the request-path queries explained and timed. */
export const planProbe = (target: BenchTarget, input: PlanProbeInput) => child<PlanReport>("plan-probe.ts", target, [JSON.stringify(input)], "plan probe");

/** Where a page's HTML goes: the inline RSC payload, <option>s, table rows. */
export function anatomy(html: string) {
  const sum = (re: RegExp) => {
    const all = html.match(re) ?? [];
    return { n: all.length, bytes: all.reduce((s, m) => s + Buffer.byteLength(m), 0) };
  };
  return {
    payload: sum(/<script[^>]*>self\.__next_f\.push[\s\S]*?<\/script>/g),
    options: sum(/<option[^>]*>[\s\S]*?<\/option>/g),
    rows: sum(/<tr[\s>][\s\S]*?<\/tr>/g),
  };
}
