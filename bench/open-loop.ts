// Open-loop load: requests sent on a fixed schedule (one every 1/rate s), whatever the answers
// before them are doing, each request's latency measured from its *scheduled* send time to the
// end of its answer. autocannon's `overallRate` cannot do this: each of its connections sends
// back to back until it has made its share of the second's requests, then idles until the next
// second, and times each request from when it was written, so a slow answer delays the requests
// queued behind it without their latency showing it (coordinated omission).
import http from "node:http";
import { merge, percentile, type Sample } from "./load";
import { ms } from "./report";

export interface OpenLoopTarget {
  name: string;
  /** Origin, e.g. http://127.0.0.1:3300. */
  url: string;
  /** Taken in turn. */
  requests: { path: string; headers?: Record<string, string> }[];
}

export interface OpenLoopSample extends Sample {
  /** Requests per second the schedule asked for (this target's share). */
  offered: number;
  /** Answers per second, over the time from the first scheduled send to the last answer. */
  achieved: number;
  /** How late the generator itself sent (ms behind schedule): p99 and max. Counted in the latencies. */
  sendLagP99: number;
  sendLagMax: number;
}

export interface OpenLoopOptions {
  /** Total requests per second, spread evenly over the targets in turn (request i → target i mod n). */
  rate: number;
  seconds: number;
  targets: OpenLoopTarget[];
  timeoutMs?: number;
}

function quantile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Acc {
  latencies: number[];
  lags: number[];
  statuses: Record<number, number>;
  errors: number;
  timeouts: number;
  bytes: number;
  lastEnd: number;
  next: number;
}

// One keep-alive agent per origin for the whole run: connections opened during the warm-up serve
// the measurement, and no socket limit makes a request wait for another's answer.
const agents = new Map<string, http.Agent>();
function agentFor(origin: string): http.Agent {
  let a = agents.get(origin);
  if (!a) agents.set(origin, (a = new http.Agent({ keepAlive: true, maxSockets: Infinity })));
  return a;
}

/** Requests sent: answered, failed or timed out (a server works on them all). */
export const sentOf = (x: Sample) => x.latencies.length + x.errors + x.timeouts;

/** Closes the kept-alive connections (end of a scenario). */
export function closeOpenLoopAgents() {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}

export function openLoop(o: OpenLoopOptions): Promise<OpenLoopSample[]> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const interval = 1000 / o.rate;
  const total = Math.round(o.rate * o.seconds);
  const accs: Acc[] = o.targets.map(() => ({ latencies: [], lags: [], statuses: {}, errors: 0, timeouts: 0, bytes: 0, lastEnd: 0, next: 0 }));
  const parsed = o.targets.map((t) => new URL(t.url));
  const t0 = performance.now() + 10;
  let outstanding = 0;
  let sent = 0;

  return new Promise((resolve) => {
    const finish = () => {
      resolve(
        accs.map((a) => {
          const spanMs = Math.max(a.lastEnd, t0 + total * interval) - t0;
          const lags = a.lags.sort((x, y) => x - y);
          return {
            latencies: a.latencies,
            statuses: a.statuses,
            errors: a.errors,
            timeouts: a.timeouts,
            bytes: a.bytes,
            durationMs: spanMs,
            offered: o.rate / o.targets.length,
            achieved: a.latencies.length / (spanMs / 1000),
            sendLagP99: quantile(lags, 99),
            sendLagMax: lags[lags.length - 1] ?? NaN,
          };
        }),
      );
    };
    const settle = () => {
      outstanding -= 1;
      if (outstanding === 0 && sent === total) finish();
    };
    const fire = (i: number, scheduled: number) => {
      const k = i % o.targets.length;
      const target = o.targets[k];
      const acc = accs[k];
      const r = target.requests[acc.next++ % target.requests.length];
      const u = parsed[k];
      acc.lags.push(performance.now() - scheduled);
      outstanding += 1;
      let done = false;
      const req = http.request(
        { host: u.hostname, port: u.port, path: r.path, method: "GET", headers: r.headers, agent: agentFor(u.origin) },
        (res) => {
          res.on("data", (c: Buffer) => (acc.bytes += c.length));
          res.on("end", () => {
            if (done) return;
            done = true;
            const end = performance.now();
            acc.latencies.push(end - scheduled);
            acc.statuses[res.statusCode ?? 0] = (acc.statuses[res.statusCode ?? 0] ?? 0) + 1;
            acc.lastEnd = Math.max(acc.lastEnd, end);
            settle();
          });
          // An answer cut off midway ends without "end".
          res.on("close", () => {
            if (done) return;
            done = true;
            acc.errors += 1;
            settle();
          });
        },
      );
      req.setTimeout(timeoutMs, () => {
        if (done) return;
        done = true;
        acc.timeouts += 1;
        req.destroy();
        settle();
      });
      req.on("error", () => {
        if (done) return;
        done = true;
        acc.errors += 1;
        settle();
      });
      req.end();
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && t0 + sent * interval <= now) {
        fire(sent, t0 + sent * interval);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
      else if (outstanding === 0) finish();
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
}

/** Slices of one open-loop load as one: latencies pooled, rates over the slices' summed spans. */
export function mergeOpen(samples: OpenLoopSample[]): OpenLoopSample {
  const all = merge(samples);
  return {
    ...all,
    offered: samples[0]?.offered ?? NaN,
    achieved: all.latencies.length / (all.durationMs / 1000),
    sendLagP99: Math.max(...samples.map((x) => x.sendLagP99)),
    sendLagMax: Math.max(...samples.map((x) => x.sendLagMax)),
  };
}

/** A sample's usual table cells: offered/s, achieved/s, answers, p50, p90, p99 and max ms. */
export function latencyCells(x: OpenLoopSample): (string | number)[] {
  const q = (n: number) => ms(percentile(x.latencies, n));
  return [x.offered.toFixed(0), x.achieved.toFixed(1), x.latencies.length, q(50), q(90), q(99), ms(Math.max(...x.latencies))];
}
