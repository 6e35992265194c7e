import "server-only";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { config } from "@/lib/config";
import { errorText, log } from "@/lib/log";
import { claimRun } from "@/lib/scheduled";
import { verifyConnection } from "./verify";

/**
 * The optional scheduled health check (CONSOLE_HEALTHCHECK_INTERVAL_MINUTES): each kept-fresh
 * connection's cheapest read per bound service, the calls Verify makes. A token Zoho refuses
 * takes the same path as a refusal Verify sees: retired, refreshed, or "needs re-authorization"
 * when Zoho refuses the refresh token too — found within one interval instead of at the next
 * scheduled refresh. Only failures leave an audit row.
 */

/** Calls to Zoho at once: a pass is background work and must not crowd out services' calls. */
const CONCURRENCY = 2;

interface HealthCheckReport {
  checked: number;
  failed: number;
}

async function checkedConnectionIds(): Promise<number[]> {
  const c = connections;
  const rows = await getDb()
    .select({ id: c.id })
    .from(c)
    .where(and(eq(c.keepFresh, true), isNull(c.revokedAt), isNull(c.reauthReason), eq(c.accessType, "offline"), isNotNull(c.refreshTokenEnc)))
    .orderBy(c.id);
  return rows.map((r) => r.id);
}

export async function healthCheckPass(): Promise<HealthCheckReport> {
  const ids = await checkedConnectionIds();
  const report: HealthCheckReport = { checked: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      try {
        const rows = await verifyConnection(id, systemActor, "healthcheck");
        if (rows.some((r) => !r.ok)) report.failed++;
      } catch (e) {
        // A connection backing off, throttled or gone since the list was read: the next pass sees it.
        report.failed++;
        log("healthcheck").warn({ connectionId: id, error: errorText(e) }, "health check could not run");
      }
      report.checked++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return report;
}

const holder = globalThis as unknown as { __healthCheck?: NodeJS.Timeout };

/**
 * Starts the schedule when configured; one instance runs each interval's pass (the interval's
 * number is claimed in the database), whichever instance's timer fires first.
 */
export function startHealthCheck(): { intervalMs: number } | undefined {
  const minutes = config().CONSOLE_HEALTHCHECK_INTERVAL_MINUTES;
  if (!minutes || holder.__healthCheck) return undefined;
  const intervalMs = minutes * 60_000;
  const run = async () => {
    try {
      if (!(await claimRun(`healthcheck:${Math.floor(Date.now() / intervalMs)}`))) return;
      const report = await healthCheckPass();
      log("healthcheck").info(report, "health check pass finished");
    } catch (e) {
      log("healthcheck").error({ error: errorText(e) }, "health check pass failed");
    }
  };
  holder.__healthCheck = setInterval(() => void run(), intervalMs);
  holder.__healthCheck.unref();
  return { intervalMs };
}
