import "server-only";
import { errorText, log } from "@/lib/log";
import { and, eq, inArray, isNotNull, isNull, lt, notExists, or } from "drizzle-orm";
import { database, getDb } from "@/db/client";
import { pruneHourlyUsage } from "@/lib/api-keys/usage";
import {
  alertDeliveries,
  alertEvents,
  auditEvents,
  connectLinks,
  incidents,
  consoleInstances,
  loginThrottle,
  oauthAttempts,
  publicRateBuckets,
  refresherRuns,
  refreshRollups,
  refreshTokenLives,
  scheduledRuns,
  tokenMints,
  tokenRejections,
} from "@/db/schema";
import { recordAudit, systemActor } from "@/lib/audit";
import { config } from "@/lib/config";

// Nothing the console records grows without bound. Old rows go in small batches, with a pause
// between batches, so a large backlog never holds the database (and the OAuth callbacks and
// token calls waiting on it) for long.

const DAY = 86_400_000;
/** Token lives stay long enough for the 30-day charts. */
export const TOKEN_HISTORY_DAYS = 35;
export const REFRESHER_RUN_DAYS = 7;
/** Authorization attempts live minutes; they stay a week for the record of tries. */
export const OAUTH_ATTEMPT_DAYS = 7;
export const INSTANCE_DAYS = 7;
/** Alert events and their delivery log; one still being retried stays until it is done. */
export const ALERT_DAYS = 30;
/** An idle bucket of the public pages' rate limit is full long before this; no row is a full bucket. */
export const RATE_BUCKET_IDLE_MS = DAY;
const PRUNE_BATCH = 500;
const PRUNE_EVERY_MS = 60 * 60_000;

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Deletes batch by batch the rows whose ids `select` yields (at most `batch` at a time), until
 * none is left; returns how many went.
 */
async function inBatches<K>(batch: number, select: () => Promise<{ id: K }[]>, remove: (ids: K[]) => Promise<unknown>): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = (await select()).map((r) => r.id);
    if (ids.length === 0) return total;
    await remove(ids);
    total += ids.length;
    // A short batch was the last one; compared with the batch asked for, not the default.
    if (ids.length < batch) return total;
    await pause();
  }
}

/**
 * Routine successes: refreshes the background refresher made and Zoho answered. Most of the
 * trail's rows (one per connection and hour), read as the rollups' counts, never one by one;
 * kept CONSOLE_AUDIT_ROUTINE_RETENTION_DAYS. Failures, manual and API refreshes, and every
 * security event keep CONSOLE_AUDIT_RETENTION_DAYS.
 */
export const ROUTINE_TRIGGERS = ["background"] as const;

interface PruneReport {
  auditEvents: number;
  routineEvents: number;
  refreshRollups: number;
  tokenMints: number;
  refreshTokenLives: number;
  refresherRuns: number;
  apiKeyUsageHours: number;
  oauthAttempts: number;
  loginThrottle: number;
  consoleInstances: number;
  tokenRejections: number;
  scheduledRuns: number;
  alertEvents: number;
  incidents: number;
  connectLinks: number;
  publicRateBuckets: number;
}

export async function pruneOldRecords(now = Date.now(), batch = PRUNE_BATCH): Promise<PruneReport> {
  const db = getDb();
  const auditBefore = new Date(now - config().CONSOLE_AUDIT_RETENTION_DAYS * DAY);
  const tokensBefore = new Date(now - TOKEN_HISTORY_DAYS * DAY);
  const runsBefore = new Date(now - REFRESHER_RUN_DAYS * DAY);
  const attemptsBefore = new Date(now - OAUTH_ATTEMPT_DAYS * DAY);
  const throttleBefore = new Date(now - config().LOGIN_LOCK_MINUTES * 60_000);
  const routineDays = Math.min(config().CONSOLE_AUDIT_ROUTINE_RETENTION_DAYS, config().CONSOLE_AUDIT_RETENTION_DAYS);
  const routineBefore = new Date(now - routineDays * DAY);
  const a = auditEvents;
  const report: PruneReport = {
    auditEvents: await inBatches(
      batch,
      () => db.select({ id: a.id }).from(a).where(lt(a.at, auditBefore)).orderBy(a.at).limit(batch),
      (ids) => db.delete(a).where(inArray(a.id, ids)),
    ),
    // Served by audit_events_trigger_outcome_at: only routine rows are read, oldest first.
    routineEvents: await inBatches(
      batch,
      () =>
        db
          .select({ id: a.id })
          .from(a)
          .where(and(inArray(a.trigger, [...ROUTINE_TRIGGERS]), eq(a.outcome, "success"), lt(a.at, routineBefore)))
          .orderBy(a.at)
          .limit(batch),
      (ids) => db.delete(a).where(inArray(a.id, ids)),
    ),
    // A few rows per quarter hour (counted here by quarter hours): they outlive the events they
    // count, as long as the longest rule.
    refreshRollups: await inBatches(
      batch,
      () => db.selectDistinct({ id: refreshRollups.bucket }).from(refreshRollups).where(lt(refreshRollups.bucket, auditBefore.getTime())).orderBy(refreshRollups.bucket).limit(batch),
      (buckets) => db.delete(refreshRollups).where(inArray(refreshRollups.bucket, buckets)),
    ),
    // The current token of a connection is never pruned, however old: it has not ended.
    tokenMints: await inBatches(
      batch,
      () => db.select({ id: tokenMints.id }).from(tokenMints).where(and(lt(tokenMints.at, tokensBefore), isNotNull(tokenMints.endedAt))).limit(batch),
      (ids) => db.delete(tokenMints).where(inArray(tokenMints.id, ids)),
    ),
    refreshTokenLives: await inBatches(
      batch,
      () => db.select({ id: refreshTokenLives.id }).from(refreshTokenLives).where(lt(refreshTokenLives.endedAt, tokensBefore)).limit(batch),
      (ids) => db.delete(refreshTokenLives).where(inArray(refreshTokenLives.id, ids)),
    ),
    refresherRuns: await inBatches(
      batch,
      () => db.select({ id: refresherRuns.id }).from(refresherRuns).where(lt(refresherRuns.startedAt, runsBefore)).limit(batch),
      (ids) => db.delete(refresherRuns).where(inArray(refresherRuns.id, ids)),
    ),
    apiKeyUsageHours: await pruneHourlyUsage(now, batch),
    oauthAttempts: await inBatches(
      batch,
      () => db.select({ id: oauthAttempts.id }).from(oauthAttempts).where(lt(oauthAttempts.expiresAt, attemptsBefore)).limit(batch),
      (ids) => db.delete(oauthAttempts).where(inArray(oauthAttempts.id, ids)),
    ),
    // A window that has closed and a lock that has ended say nothing any more.
    loginThrottle: await inBatches(
      batch,
      () =>
        db
          .select({ id: loginThrottle.key })
          .from(loginThrottle)
          .where(and(lt(loginThrottle.windowStartedAt, throttleBefore), or(isNull(loginThrottle.lockedUntil), lt(loginThrottle.lockedUntil, new Date(now)))))
          .limit(batch),
      (keys) => db.delete(loginThrottle).where(inArray(loginThrottle.key, keys)),
    ),
    // Instances unseen for a week: restarts under the default name (host and pid) add a row each.
    consoleInstances: await inBatches(
      batch,
      () => db.select({ id: consoleInstances.id }).from(consoleInstances).where(lt(consoleInstances.lastSeenAt, new Date(now - INSTANCE_DAYS * DAY))).limit(batch),
      (keys) => db.delete(consoleInstances).where(inArray(consoleInstances.id, keys)),
    ),
    // Refusals bound one key's refreshes over ten minutes; they stay as long as the token history.
    tokenRejections: await inBatches(
      batch,
      () => db.select({ id: tokenRejections.id }).from(tokenRejections).where(lt(tokenRejections.at, tokensBefore)).limit(batch),
      (ids) => db.delete(tokenRejections).where(inArray(tokenRejections.id, ids)),
    ),
    // A claimed run only has to outlive its period (an interval, a day).
    scheduledRuns: await inBatches(
      batch,
      () => db.select({ id: scheduledRuns.name }).from(scheduledRuns).where(lt(scheduledRuns.at, new Date(now - INSTANCE_DAYS * DAY))).limit(batch),
      (keys) => db.delete(scheduledRuns).where(inArray(scheduledRuns.name, keys)),
    ),
    // Deliveries and attempts go with their event (foreign keys cascade).
    alertEvents: await inBatches(
      batch,
      () =>
        db
          .select({ id: alertEvents.id })
          .from(alertEvents)
          .where(
            and(
              lt(alertEvents.createdAt, new Date(now - ALERT_DAYS * DAY)),
              notExists(db.select({ one: alertDeliveries.id }).from(alertDeliveries).where(and(eq(alertDeliveries.eventRef, alertEvents.id), eq(alertDeliveries.state, "pending")))),
            ),
          )
          .limit(batch),
      (ids) => db.delete(alertEvents).where(inArray(alertEvents.id, ids)),
    ),
    // Resolved incidents stay as long as the audit trail that tells their story.
    incidents: await inBatches(
      batch,
      () => db.select({ id: incidents.id }).from(incidents).where(lt(incidents.resolvedAt, auditBefore)).limit(batch),
      (ids) => db.delete(incidents).where(inArray(incidents.id, ids)),
    ),
    // A link stays as long as the audit trail that tells its story; its attempts go with it.
    connectLinks: await inBatches(
      batch,
      () => db.select({ id: connectLinks.id }).from(connectLinks).where(lt(connectLinks.expiresAt, auditBefore)).limit(batch),
      (ids) => db.delete(connectLinks).where(inArray(connectLinks.id, ids)),
    ),
    publicRateBuckets: await inBatches(
      batch,
      () => db.select({ id: publicRateBuckets.key }).from(publicRateBuckets).where(lt(publicRateBuckets.at, new Date(now - RATE_BUCKET_IDLE_MS))).limit(batch),
      (keys) => db.delete(publicRateBuckets).where(inArray(publicRateBuckets.key, keys)),
    ),
  };
  if (report.auditEvents + report.routineEvents > 0) {
    await recordAudit({
      actor: systemActor,
      action: "audit.prune",
      detail: {
        deleted: report.auditEvents + report.routineEvents,
        olderThan: auditBefore.toISOString(),
        retentionDays: config().CONSOLE_AUDIT_RETENTION_DAYS,
        routineDeleted: report.routineEvents,
        routineOlderThan: routineBefore.toISOString(),
        routineRetentionDays: routineDays,
      },
    });
  }
  return report;
}

const holder = globalThis as unknown as { __pruner?: NodeJS.Timeout };

/**
 * Prunes unless another instance on the database is pruning now (it does the same work); says
 * whether it ran.
 */
export async function pruneIfNoneElse(now = Date.now()): Promise<PruneReport | null> {
  const outcome = await database().exclusive("pruner", () => pruneOldRecords(now), { wait: false });
  return outcome.ran ? outcome.value : null;
}

/** Prunes once shortly after start, then hourly; once per process, one instance at a time. */
export function startPruner() {
  if (holder.__pruner) return;
  const run = () =>
    void pruneIfNoneElse().catch((e) => log("retention").error({ error: errorText(e) }, "pruning failed"));
  holder.__pruner = setInterval(run, PRUNE_EVERY_MS);
  holder.__pruner.unref();
  setTimeout(run, 30_000).unref();
}
