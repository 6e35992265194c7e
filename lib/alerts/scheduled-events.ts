import "server-only";
import { and, eq, gt, isNull, lte, sql } from "drizzle-orm";
import { getDb, tx, type Db } from "@/db/client";
import { alertEvents, apiKeys, scheduledRuns, zohoClients } from "@/db/schema";
import { config } from "@/lib/config";
import { overview } from "@/lib/connections/overview";
import { errorText, log } from "@/lib/log";
import { REFRESH_TOKEN_CAP } from "@/lib/zoho/limits";
import type { EventData } from "./events";
import { listIncidents } from "./incident-queries";
import { BUDGET_LOW_AT } from "./incidents";
import { consoleUrl, emitEvent } from "./outbox";

/**
 * Events no change causes, found by looking: API keys about to expire, and the daily at-risk
 * digest. Each is claimed once across every instance by a row of scheduled_runs written in the
 * same transaction as the event, so a crash cannot lose it and two instances cannot both send it.
 */

/** Keys expiring within this are announced (once per key and expiry). */
export const KEY_EXPIRY_NOTICE_MS = 7 * 24 * 60 * 60_000;

/** Writes the event only if the run `name` was not claimed before; true when it was written now. */
async function onceWith(db: Db, name: string, write: () => Promise<unknown>): Promise<boolean> {
  const claimed = await db.insert(scheduledRuns).values({ name, at: new Date() }).onConflictDoNothing({ target: scheduledRuns.name }).returning({ name: scheduledRuns.name });
  if (!claimed.length) return false;
  await write();
  return true;
}

export async function announceExpiringKeys(now = Date.now()): Promise<number> {
  const keys = await getDb()
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, expiresAt: apiKeys.expiresAt })
    .from(apiKeys)
    .where(and(isNull(apiKeys.revokedAt), gt(apiKeys.expiresAt, new Date(now)), lte(apiKeys.expiresAt, new Date(now + KEY_EXPIRY_NOTICE_MS))));
  let sent = 0;
  for (const k of keys) {
    const expires = k.expiresAt!.toISOString();
    const days = Math.max(0, Math.round((k.expiresAt!.getTime() - now) / 86_400_000));
    const wrote = await tx((db) =>
      onceWith(db, `api_key.expiring:${k.id}:${k.expiresAt!.getTime()}`, () =>
        emitEvent(db, "api_key.expiring", {
          api_key: { id: k.id, name: k.name, prefix: k.prefix, expires_at: expires, url: consoleUrl(`/settings/api-keys/${k.id}`) },
          reason: {
            code: "expiring",
            message: `The API key "${k.name}" (${k.prefix}…) expires ${days === 0 ? "within a day" : `in ${days} day${days === 1 ? "" : "s"}`}; services using it are refused from then on.`,
            action: "Create a new key for the services that use it (their names are on the key's page), switch them over, then let this one expire.",
          },
        }),
      ),
    );
    if (wrote) sent++;
  }
  return sent;
}

/** The console's time zone (the process's TZ), as the digest states it. */
export const consoleTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** Date and hour of `now` in the console's time zone. */
export function localDateHour(now: number, timeZone = consoleTimeZone()): { date: string; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(now))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** What the digest would say now; undefined when there is nothing to say. */
export async function digestData(now = Date.now()): Promise<EventData<"digest.daily"> | undefined> {
  const o = await overview(now, { budgetLimit: 50 });
  const keys = await getDb()
    .select({ id: apiKeys.id, name: apiKeys.name, expiresAt: apiKeys.expiresAt })
    .from(apiKeys)
    .where(and(isNull(apiKeys.revokedAt), gt(apiKeys.expiresAt, new Date(now)), lte(apiKeys.expiresAt, new Date(now + KEY_EXPIRY_NOTICE_MS))));
  // A client whose secret Zoho refused since it was last replaced.
  const rejected = await getDb()
    .selectDistinct({ id: zohoClients.id, name: zohoClients.name })
    .from(alertEvents)
    .innerJoin(zohoClients, eq(zohoClients.id, alertEvents.clientId))
    .where(and(eq(alertEvents.type, "client.secret_rejected"), sql`${alertEvents.createdAt} > ${zohoClients.secretUpdatedAt}`));
  const incidents = (await listIncidents({}, now)).filter((i) => i.resolvedAt === null);
  const data: EventData<"digest.daily"> = {
    date: localDateHour(now).date,
    time_zone: consoleTimeZone(),
    connections_needing_attention: o.attention.items.map((c) => ({ id: c.id, name: c.name, status: c.status.label, reason: c.status.reason, url: consoleUrl(`/connections/${c.id}`) })),
    refresh_token_budgets: o.budgets.items
      .filter((b) => b.live >= BUDGET_LOW_AT)
      .map((b) => ({ client: b.clientName, zoho_user: b.email ?? b.zuid, live: b.live, cap: REFRESH_TOKEN_CAP })),
    api_keys_expiring: keys.map((k) => ({ id: k.id, name: k.name, expires_at: k.expiresAt!.toISOString(), url: consoleUrl(`/settings/api-keys/${k.id}`) })),
    clients_secret_rejected: rejected.map((c) => ({ id: c.id, name: c.name, url: consoleUrl(`/clients/${c.id}`) })),
    open_incidents: incidents.map((i) => ({ id: i.id, connection: i.connection.name, cause: i.cause, opened_at: new Date(i.openedAt).toISOString(), url: consoleUrl(`/incidents#incident-${i.id}`) })),
    url: consoleUrl("/"),
  };
  const empty =
    data.connections_needing_attention.length + data.refresh_token_budgets.length + data.api_keys_expiring.length + data.clients_secret_rejected.length + data.open_incidents.length === 0;
  return empty ? undefined : data;
}

/** At CONSOLE_DIGEST_HOUR (console time), once a day across instances; nothing to say, nothing sent. */
export async function sendDigestIfDue(now = Date.now()): Promise<"sent" | "nothing" | "already_sent" | "not_due"> {
  const hour = config().CONSOLE_DIGEST_HOUR;
  const local = localDateHour(now);
  if (hour === undefined || local.hour !== hour) return "not_due";
  const data = await digestData(now);
  const wrote = await tx((db) => onceWith(db, `digest:${local.date}`, () => (data ? emitEvent(db, "digest.daily", data) : Promise.resolve())));
  if (!wrote) return "already_sent";
  return data ? "sent" : "nothing";
}

const holder = globalThis as unknown as { __alertSchedule?: NodeJS.Timeout };
const EVERY_MS = 5 * 60_000;

export function startAlertSchedule() {
  if (holder.__alertSchedule) return;
  const run = async () => {
    try {
      await announceExpiringKeys();
      await sendDigestIfDue();
    } catch (e) {
      log("alerts").error({ error: errorText(e) }, "scheduled alert check failed");
    }
  };
  holder.__alertSchedule = setInterval(() => void run(), EVERY_MS);
  holder.__alertSchedule.unref();
  setTimeout(() => void run(), 20_000).unref();
}
