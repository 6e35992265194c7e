/**
 * A second console process for the fault and backup tests, run with
 * `tsx --conditions=react-server test/faults/worker.ts '<job as JSON>'` and the console's
 * environment (database file or, on PostgreSQL, CONSOLE_DATABASE_URL; keys, sandbox URL). It
 * prints one JSON object per line.
 *
 * Jobs:
 * - `{"kind":"refresh","id":N}`: one refresh of connection N, as a person pressing Refresh now.
 * - `{"kind":"hammer","ids":[…],"rounds":R,"callers":C}`: R rounds; each round C concurrent
 *   callers refresh every connection, ask for tokens, and write audit rows, while the background
 *   refresher runs a pass. Reports every error a caller saw.
 * - `{"kind":"loop","ids":[…]}`: refreshes and writes until killed (load for the online backup).
 *
 * Several instances on one database (a job with `go`, a file path, says `{"ready":true}` once
 * loaded and waits for that file, so that processes started one after another act together):
 * - `{"kind":"tokens","ids":[…],"callers":C}`: C concurrent token requests per connection, as the
 *   token API makes them; reports a digest of each token handed out.
 * - `{"kind":"refresher"}`: one background refresher pass; reports the run.
 * - `{"kind":"rate","keyId":K,"perMinute":P,"calls":N}`: N calls against the key's rate limit.
 * - `{"kind":"refused","key":"zoc_…","calls":N}`: N calls with a refused key, as /api/v1 sees them.
 * - `{"kind":"start"}`: the console's start-up (migrations, registration, re-key), then exits.
 * - `{"kind":"hold","name":"…","ms":M}`: holds the named exclusive job for M ms.
 * - `{"kind":"demote","userId":U}`: makes user U an operator, as an admin does on Settings → Users.
 * - `{"kind":"usage","keyId":K,"connectionId":C,"calls":N}`: counts N API calls, then flushes them.
 *
 * WORKER_CLOCK_SKEW_MS moves this process's clock (Date.now) by that much: a host whose clock is off.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { database } from "@/db/client";
import { takeCall } from "@/lib/api-keys/rate-limit";
import { countCall, usageOfKey } from "@/lib/api-keys/usage";
import { instanceId } from "@/lib/instances";
import { admitKey } from "@/lib/service-api/auth";
import { startup } from "@/lib/startup";
import { changeRole } from "@/lib/users";
import { recordAudit, systemActor, type AuditAction } from "@/lib/audit";

// A marker outside the catalogue on purpose, so only these bursts' rows carry it.
const FAULT_PROBE = "console.fault_probe" as string as AuditAction;
import { getValidToken, refreshConnection } from "@/lib/tokens/engine";
import { runRefresherOnce } from "@/lib/tokens/refresher";

type Job =
  | { kind: "tokens"; ids: number[]; callers: number; go?: string }
  | { kind: "refresher"; go?: string }
  | { kind: "rate"; keyId: number; perMinute: number; calls: number; go?: string }
  | { kind: "refused"; key: string; calls: number; go?: string }
  | { kind: "start" }
  | { kind: "hold"; name: string; ms: number }
  | { kind: "demote"; userId: number; go?: string }
  | { kind: "usage"; keyId: number; connectionId: number; calls: number; go?: string }
  | { kind: "refresh"; id: number }
  | { kind: "hammer"; ids: number[]; rounds: number; callers: number }
  | { kind: "loop"; ids: number[] };

const job = JSON.parse(process.argv[2] ?? "{}") as Job;
const skew = Number(process.env.WORKER_CLOCK_SKEW_MS ?? 0);
if (skew) {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + skew;
}
const untilStart = async () => {
  const go = "go" in job ? job.go : undefined;
  if (!go) return;
  say({ ready: true });
  while (!fs.existsSync(go)) await new Promise((r) => setTimeout(r, 10));
};
const digest = (token: string) => createHash("sha256").update(token).digest("hex").slice(0, 12);
const say = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
/** Which database this process writes to, so a test can tell it shares the test's own. */
const engine = () => database().engine;
const manual = { trigger: "manual" as const, ignoreBackoff: true };

interface Seen {
  name: string;
  kind?: string;
  code?: string;
  message: string;
}
const describe = (e: unknown): Seen => {
  const err = e as { name?: string; kind?: string; code?: string; message?: string };
  return { name: err.name ?? "Error", kind: err.kind, code: err.code, message: String(err.message ?? e) };
};

/** A burst of audit inserts, each its own write transaction, as busy pages and API calls make. */
async function writeBurst(n: number, label: string) {
  for (let i = 0; i < n; i++) {
    await recordAudit({ actor: systemActor, action: FAULT_PROBE, detail: { label, i, pid: process.pid } });
  }
}

async function main() {
  await untilStart();
  if (job.kind === "tokens") {
    const tokens: Record<number, string[]> = {};
    const errors: Seen[] = [];
    await Promise.all(
      job.ids.flatMap((id) =>
        Array.from({ length: job.callers }, async () => {
          try {
            (tokens[id] ??= []).push(digest((await getValidToken(id, { trigger: "api" })).accessToken));
          } catch (e) {
            errors.push(describe(e));
          }
        }),
      ),
    );
    say({ done: true, tokens, errors, engine: engine() });
    return;
  }
  if (job.kind === "refresher") {
    say({ done: true, run: await runRefresherOnce(), engine: engine() });
    return;
  }
  if (job.kind === "rate") {
    const decisions = await Promise.all(Array.from({ length: job.calls }, () => takeCall(job.keyId, job.perMinute)));
    say({ done: true, allowed: decisions.filter((d) => d.allowed).length, retryAfter: decisions.flatMap((d) => (d.allowed ? [] : [d.retryAfterSec])) });
    return;
  }
  if (job.kind === "refused") {
    const seen = await Promise.all(
      Array.from({ length: job.calls }, () => admitKey(`Bearer ${job.key}`, "198.51.100.7", null).then(() => "accepted", (e: Error) => e.message)),
    );
    say({ done: true, seen: [...new Set(seen)] });
    return;
  }
  if (job.kind === "start") {
    await startup();
    say({ done: true, instance: instanceId(), engine: engine() });
    return;
  }
  if (job.kind === "usage") {
    for (let n = 0; n < job.calls; n++) countCall(job.keyId, job.connectionId, "198.51.100.8");
    await usageOfKey(job.keyId); // writes what this process counted
    say({ done: true });
    return;
  }
  if (job.kind === "demote") {
    try {
      await changeRole(job.userId, "operator");
      say({ done: true, demoted: true });
    } catch (e) {
      say({ done: true, demoted: false, refusal: describe(e).message });
    }
    return;
  }
  if (job.kind === "hold") {
    const r = await database().exclusive(job.name, async () => {
      say({ holding: job.name });
      await new Promise((r) => setTimeout(r, job.ms));
    });
    say({ done: true, ran: r.ran });
    return;
  }
  if (job.kind === "refresh") {
    say({ started: job.id, pid: process.pid, engine: engine() });
    const r = await refreshConnection(job.id, manual);
    say({ refreshed: r.refreshed, expiresAt: r.expiresAt });
    return;
  }
  if (job.kind === "hammer") {
    const errors: Seen[] = [];
    let refreshed = 0;
    const guard = async (p: Promise<unknown>) => {
      try {
        const r = (await p) as { refreshed?: boolean } | undefined;
        if (r?.refreshed) refreshed += 1;
      } catch (e) {
        errors.push(describe(e));
      }
    };
    for (let round = 0; round < job.rounds; round++) {
      const work: Promise<unknown>[] = [guard(runRefresherOnce())];
      for (let c = 0; c < job.callers; c++) {
        for (const id of job.ids) {
          work.push(guard(refreshConnection(id, manual)));
          work.push(guard(getValidToken(id, { minValidityMs: 60_000 })));
        }
        work.push(guard(writeBurst(50, `round ${round}`)));
      }
      await Promise.all(work);
    }
    say({ done: true, refreshed, errors, engine: engine() });
    return;
  }
  if (job.kind === "loop") {
    say({ started: true, pid: process.pid, engine: engine() });
    for (let n = 0; ; n++) {
      for (const id of job.ids) {
        try {
          await refreshConnection(id, manual);
        } catch (e) {
          // Zoho's ten-per-ten-minutes budget runs out in a long loop; the writes go on.
          if (describe(e).kind !== "rate_limited") throw e;
        }
      }
      await writeBurst(20, `loop ${n}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  throw new Error(`unknown job ${JSON.stringify(job)}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    say({ fatal: describe(e) });
    process.exit(1);
  },
);
