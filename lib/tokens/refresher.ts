import "server-only";
import { and, desc, eq, isNotNull, isNull, lt, lte, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections, refresherRuns } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { config } from "@/lib/config";
import { errorText, log, withRequestContext } from "@/lib/log";
import { metrics } from "@/lib/metrics/registry";
import { refreshConnection } from "./engine";
import { isTokenError } from "./errors";

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
export async function dueConnectionIds(now = Date.now()): Promise<number[]> {
  const c = connections;
  const nowDate = new Date(now);
  const rows = await getDb()
    .select({ id: c.id })
    .from(c)
    .where(
      and(
        eq(c.keepFresh, true),
        isNull(c.revokedAt),
        isNull(c.reauthReason),
        eq(c.accessType, "offline"),
        isNotNull(c.refreshTokenEnc),
        or(isNull(c.accessTokenExpiresAt), lt(c.accessTokenExpiresAt, new Date(now + REFRESH_AHEAD_MS))),
        or(isNull(c.nextRetryAt), lte(c.nextRetryAt, nowDate)),
        or(isNull(c.throttledUntil), lte(c.throttledUntil, nowDate)),
      ),
    )
    .orderBy(c.accessTokenExpiresAt);
  return rows.map((r) => r.id);
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(size, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  });
  await Promise.all(workers);
}

/** One pass: refresh what is due with bounded concurrency, and record the run. */
export async function runRefresherOnce(now = Date.now()): Promise<RefresherRun> {
  const db = getDb();
  const [run] = await db.insert(refresherRuns).values({ startedAt: new Date(now) }).returning({ id: refresherRuns.id });
  const ids = await dueConnectionIds(now);
  let refreshed = 0;
  let failed = 0;
  let deferred = 0;
  const started = performance.now();
  // Every line the pass logs, refreshes included, carries the run's id.
  await withRequestContext({ requestId: `refresher-run-${run.id}` }, () => pool(ids, config().CONSOLE_REFRESHER_CONCURRENCY, async (id) => {
    try {
      const r = await refreshConnection(id, { trigger: "background", actor: systemActor, minValidityMs: REFRESH_AHEAD_MS });
      if (r.refreshed) refreshed += 1;
    } catch (e) {
      if (isTokenError(e) && ["rate_limited", "throttled", "backing_off", "busy", "reconnected"].includes(e.kind)) deferred += 1;
      else failed += 1;
      if (!isTokenError(e)) log("refresher").error({ connectionId: id, error: errorText(e) }, "refresh failed unexpectedly");
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  metrics().refresherRuns.observe(seconds);
  metrics().refresherLastRun.set(Date.now() / 1000);
  const note = deferred ? `${deferred} deferred (rate limit or another refresh in progress)` : null;
  await db
    .update(refresherRuns)
    .set({ finishedAt: new Date(), considered: ids.length, refreshed, failed, note })
    .where(eq(refresherRuns.id, run.id));
  await db.delete(refresherRuns).where(and(eq(refresherRuns.considered, 0), lt(refresherRuns.startedAt, new Date(now - IDLE_RUN_RETENTION_MS))));
  if (ids.length) {
    log("refresher").info({ event: "refresher.run", requestId: `refresher-run-${run.id}`, considered: ids.length, refreshed, failed, deferred, durationMs: Math.round(seconds * 1000) }, "refresher pass");
  }
  return { considered: ids.length, refreshed, failed, note };
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
