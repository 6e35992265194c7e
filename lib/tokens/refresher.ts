import "server-only";
import { and, desc, eq, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { nowMs, skipLocked } from "@/db/dialect";
import { connections, refresherClaims, refresherRuns } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { config } from "@/lib/config";
import { errorText, log, withRequestContext } from "@/lib/log";
import { metrics } from "@/lib/metrics/registry";
import { refreshConnection } from "./engine";
import { isTokenError } from "./errors";
import { newLeaseOwner } from "./lease";

/** Connections whose token expires within this margin are renewed ahead of time. */
const REFRESH_AHEAD_MS = 5 * 60_000;
/** Idle runs (nothing to do) are kept for a day; runs that did something stay. */
const IDLE_RUN_RETENTION_MS = 24 * 60 * 60_000;

interface RefresherRun {
  considered: number;
  refreshed: number;
  failed: number;
  note: string | null;
}

/** Keep-fresh connections due now: expiring soon, not waiting on a retry or Zoho's window. */
function dueWhere(now: number) {
  const c = connections;
  const nowDate = new Date(now);
  return and(
    eq(c.keepFresh, true),
    isNull(c.revokedAt),
    isNull(c.reauthReason),
    eq(c.accessType, "offline"),
    isNotNull(c.refreshTokenEnc),
    or(isNull(c.accessTokenExpiresAt), lt(c.accessTokenExpiresAt, new Date(now + REFRESH_AHEAD_MS))),
    or(isNull(c.nextRetryAt), lte(c.nextRetryAt, nowDate)),
    or(isNull(c.throttledUntil), lte(c.throttledUntil, nowDate)),
  )!;
}

export async function dueConnectionIds(now = Date.now()): Promise<number[]> {
  const c = connections;
  const rows = await getDb().select({ id: c.id }).from(c).where(dueWhere(now)).orderBy(c.accessTokenExpiresAt);
  return rows.map((r) => r.id);
}

/**
 * How long a claim keeps other instances' refreshers off a connection if its pass never ends it
 * (the instance stopped). A claimed connection that was refreshed is no longer due, so a claim
 * that runs out after its refresh is harmless.
 */
const CLAIM_TTL_MS = 2 * 60_000;

/**
 * Takes up to `limit` due connections that no other pass holds, soonest expiry first, for
 * `owner`. Instances claiming at the same moment get different connections: on PostgreSQL the
 * candidates are locked and skipped by the others (SKIP LOCKED), and a candidate claimed by a
 * transaction that committed meanwhile is not taken over (the conflict update only replaces an
 * expired claim).
 */
export async function claimDue(owner: string, limit: number, now = Date.now()): Promise<number[]> {
  const c = connections;
  const rc = refresherClaims;
  const candidates = sql`select ${c.id}, ${owner}, ${nowMs()} + ${CLAIM_TTL_MS} from ${c}
    where ${dueWhere(now)}
      and not exists (select 1 from ${rc} where ${rc.connectionId} = ${c.id} and ${rc.expiresAt} > ${nowMs()})
    order by ${c.accessTokenExpiresAt} limit ${limit} ${skipLocked(c)}`;
  const claimed = await getDb()
    .insert(rc)
    .select(candidates)
    .onConflictDoUpdate({
      target: rc.connectionId,
      set: { owner: sql`excluded.owner`, expiresAt: sql`excluded.expires_at` },
      setWhere: sql`${rc.expiresAt} <= ${nowMs()}`,
    })
    .returning({ id: rc.connectionId });
  return claimed.map((r) => r.id);
}

/** Ends the claims of a pass, refreshed or not: the next pass (of any instance) may take what is still due. */
async function releaseClaims(owner: string) {
  await getDb().delete(refresherClaims).where(eq(refresherClaims.owner, owner));
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(size, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  });
  await Promise.all(workers);
}

/**
 * One pass: claim what is due in batches and refresh it with bounded concurrency, until nothing
 * due is left unclaimed; record the run. Several instances' passes share the due list through
 * their claims.
 */
export async function runRefresherOnce(now = Date.now()): Promise<RefresherRun> {
  const db = getDb();
  const [run] = await db.insert(refresherRuns).values({ startedAt: new Date(now) }).returning({ id: refresherRuns.id });
  const owner = `${newLeaseOwner()}:refresher-run-${run.id}`;
  const concurrency = config().CONSOLE_REFRESHER_CONCURRENCY;
  let considered = 0;
  let refreshed = 0;
  let failed = 0;
  let deferred = 0;
  const started = performance.now();
  try {
    // Every line the pass logs, refreshes included, carries the run's id.
    await withRequestContext({ requestId: `refresher-run-${run.id}` }, async () => {
      for (let ids = await claimDue(owner, concurrency * 2, now); ids.length; ids = await claimDue(owner, concurrency * 2, now)) {
        considered += ids.length;
        await pool(ids, concurrency, async (id) => {
          try {
            const r = await refreshConnection(id, { trigger: "background", actor: systemActor, minValidityMs: REFRESH_AHEAD_MS });
            if (r.refreshed) refreshed += 1;
          } catch (e) {
            if (isTokenError(e) && ["rate_limited", "throttled", "backing_off", "busy", "reconnected"].includes(e.kind)) deferred += 1;
            else failed += 1;
            if (!isTokenError(e)) log("refresher").error({ connectionId: id, error: errorText(e) }, "refresh failed unexpectedly");
          }
        });
      }
    });
  } finally {
    await releaseClaims(owner);
  }
  const seconds = (performance.now() - started) / 1000;
  metrics().refresherRuns.observe(seconds);
  metrics().refresherLastRun.set(Date.now() / 1000);
  const note = deferred ? `${deferred} deferred (rate limit or another refresh in progress)` : null;
  await db.update(refresherRuns).set({ finishedAt: new Date(), considered, refreshed, failed, note }).where(eq(refresherRuns.id, run.id));
  await db.delete(refresherRuns).where(and(eq(refresherRuns.considered, 0), lt(refresherRuns.startedAt, new Date(now - IDLE_RUN_RETENTION_MS))));
  if (considered) {
    log("refresher").info({ event: "refresher.run", requestId: `refresher-run-${run.id}`, considered, refreshed, failed, deferred, durationMs: Math.round(seconds * 1000) }, "refresher pass");
  }
  return { considered, refreshed, failed, note };
}

export type RefresherRunRow = typeof refresherRuns.$inferSelect;

export async function lastRefresherRun(): Promise<RefresherRunRow | undefined> {
  const [run] = await getDb().select().from(refresherRuns).orderBy(desc(refresherRuns.startedAt)).limit(1);
  return run;
}

const holder = globalThis as unknown as { __tokenRefresher?: { timer: NodeJS.Timeout; intervalMs: number } };

export const refresherIntervalMs = (): number => config().CONSOLE_REFRESHER_INTERVAL_MS;

/** Starts the background refresher once per process; later calls are no-ops. */
export function startRefresher(intervalMs = refresherIntervalMs()) {
  if (holder.__tokenRefresher) return holder.__tokenRefresher;
  let running = false;
  const tick = async () => {
    if (running) return; // a slow pass is never overlapped by the next one
    running = true;
    try {
      await runRefresherOnce();
    } catch (e) {
      log("refresher").error({ error: errorText(e) }, "refresher pass failed");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  setTimeout(() => void tick(), Math.min(intervalMs, 2_000)).unref();
  holder.__tokenRefresher = { timer, intervalMs };
  return holder.__tokenRefresher;
}

export const refresherEnabled = (): boolean => config().CONSOLE_REFRESHER === "on";
