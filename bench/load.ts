// Load through autocannon. Every response's latency is kept (not only autocannon's summary) so
// that runs taken in slices — a URL and /api/health alternating — merge into one distribution.
import autocannon, { type Options } from "autocannon";

export interface Sample {
  /** Milliseconds per answered request. */
  latencies: number[];
  statuses: Record<number, number>;
  errors: number;
  timeouts: number;
  durationMs: number;
  bytes: number;
}

export function cannon(opts: Options): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const statuses: Record<number, number> = {};
    let bytes = 0;
    const started = performance.now();
    const instance = autocannon({ timeout: 30, ...opts }, (err, result) => {
      if (err) return reject(err);
      resolve({ latencies, statuses, errors: result.errors, timeouts: result.timeouts, durationMs: performance.now() - started, bytes });
    });
    instance.on("response", (_client, status, resBytes, ms) => {
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
      bytes += resBytes;
    });
  });
}

export function merge(samples: Sample[]): Sample {
  const out: Sample = { latencies: [], statuses: {}, errors: 0, timeouts: 0, durationMs: 0, bytes: 0 };
  for (const s of samples) {
    for (const l of s.latencies) out.latencies.push(l);
    for (const [k, v] of Object.entries(s.statuses)) out.statuses[Number(k)] = (out.statuses[Number(k)] ?? 0) + v;
    out.errors += s.errors;
    out.timeouts += s.timeouts;
    out.durationMs += s.durationMs;
    out.bytes += s.bytes;
  }
  return out;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const requestsPerSecond = (s: Sample) => s.latencies.length / (s.durationMs / 1000);

export function statusLine(s: Sample): string {
  const parts = Object.entries(s.statuses).map(([k, v]) => `${k}×${v}`);
  if (s.errors) parts.push(`errors×${s.errors}`);
  if (s.timeouts) parts.push(`timeouts×${s.timeouts}`);
  return parts.join(" ") || "none";
}

/** Runs `a` and `b` in alternating slices so that both see the same machine. */
export async function sideBySide(
  a: (slice: number) => Promise<Sample>,
  b: (slice: number) => Promise<Sample>,
  slices: number,
): Promise<{ a: Sample; b: Sample }> {
  const as: Sample[] = [];
  const bs: Sample[] = [];
  for (let i = 0; i < slices; i++) {
    // ABBA order: neither side always goes first after the other.
    if (i % 2 === 0) {
      as.push(await a(i));
      bs.push(await b(i));
    } else {
      bs.push(await b(i));
      as.push(await a(i));
    }
  }
  return { a: merge(as), b: merge(bs) };
}

/**
 * Runs several loads in alternating slices, each slice in turn starting with the next load
 * (slice 0: A B C, slice 1: B C A, …), so that every load sees the same machine and none always
 * follows the same other one. Returns each load's slices merged, in the order given.
 */
export async function rotate(loads: ((slice: number) => Promise<Sample>)[], slices: number): Promise<Sample[]> {
  const got: Sample[][] = loads.map(() => []);
  for (let i = 0; i < slices; i++) {
    for (let k = 0; k < loads.length; k++) {
      const j = (i + k) % loads.length;
      got[j].push(await loads[j](i));
    }
  }
  return got.map(merge);
}
