import "server-only";
import { and, count, eq, gt, isNull, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertEvents, connections, incidents, zohoClients, type ConnectionRow } from "@/db/schema";
import { recordAudit, systemActor } from "@/lib/audit";
import { reauthReasonText } from "@/lib/connection-status";
import type { ZohoErrorKind } from "@/lib/zoho";
import type { EventData } from "./events";
import { connectionRefOf, consoleUrl, emitEvent } from "./outbox";

/**
 * Incidents, not floods: one connection's repeated failures fold into one incident that opens on
 * a terminal failure (Zoho refused the refresh token) or on the third temporary failure in a row
 * (network, 5xx, throttled), and resolves when the connection refreshes again, is reconnected or
 * revoked. Alerts go out when it opens, becomes terminal and resolves — not on every failed try.
 * Every function here runs in the transaction of the change it reports (the outbox rule).
 */

/** Temporary failures in a row that open an incident. */
export const TEMPORARY_FAILURES_TO_OPEN = 3;

const RECONNECT = "Reconnect it from its page in the console (Reconnect keeps its id, name, binding and history); the Zoho user must consent again.";

type IncidentRow = typeof incidents.$inferSelect;
type Transition = "opened" | "escalated" | "resolved" | "ongoing";

function incidentRef(i: IncidentRow, transition: Transition) {
  return {
    id: i.id,
    transition,
    opened_at: i.openedAt.toISOString(),
    resolved_at: i.resolvedAt?.toISOString() ?? null,
    resolution: (i.resolution as "refreshed" | "reauthorized" | "revoked" | null) ?? null,
    url: consoleUrl(`/incidents#incident-${i.id}`),
  };
}

async function openIncidentOf(db: Db, connectionId: number): Promise<IncidentRow | undefined> {
  const [row] = await db
    .select()
    .from(incidents)
    .where(and(eq(incidents.connectionRef, connectionId), isNull(incidents.resolvedAt)));
  return row;
}

async function auditIncident(db: Db, action: "incident.open" | "incident.escalate" | "incident.resolve", i: IncidentRow, name: string, detail: Record<string, unknown>) {
  await recordAudit(
    { actor: systemActor, action, target: { type: "connection", id: i.connectionRef }, outcome: action === "incident.resolve" ? "success" : "failure", detail: { name, incident: i.id, ...detail } },
    new Date(),
    db,
  );
}

interface FailureFacts {
  kind: ZohoErrorKind | "key_missing";
  message: string;
  advice: string;
  /** Failures in a row, this one included. */
  failures: number;
  /** Set when Zoho refused the refresh token: why (invalid_code, evicted, secret_changed). */
  reauthReason?: string;
  /** The connection needs re-authorization without a refresh of its own (a newer consent evicted it). */
  withoutRefresh?: boolean;
}

/** A refresh of `row` failed (recorded in the same transaction). */
export async function noteRefreshFailure(db: Db, row: ConnectionRow, f: FailureFacts): Promise<void> {
  const now = new Date();
  const open = await openIncidentOf(db, row.id);
  const terminal = f.reauthReason !== undefined;
  if (!terminal) {
    if (open) {
      await db.update(incidents).set({ failures: open.failures + 1 }).where(eq(incidents.id, open.id));
      return;
    }
    if (f.failures < TEMPORARY_FAILURES_TO_OPEN) return;
  }
  const cause = terminal ? reauthReasonText(f.reauthReason!) : `${f.failures} refreshes failed in a row: ${f.message}`;
  let incident: IncidentRow | undefined;
  let transition: Transition = "opened";
  if (!open) {
    // At most one open incident per connection (a unique index): a writer that lost the race
    // finds the winner's and folds into it.
    [incident] = await db
      .insert(incidents)
      .values({ connectionRef: row.id, kind: terminal ? "terminal" : "temporary", errorKind: f.reauthReason ?? f.kind, cause, failures: f.failures, openedAt: now })
      .onConflictDoNothing()
      .returning();
  }
  const current = incident ? undefined : (open ?? (await openIncidentOf(db, row.id)));
  if (current) {
    [incident] = await db
      .update(incidents)
      .set(terminal ? { kind: "terminal", errorKind: f.reauthReason ?? f.kind, cause, failures: current.failures + 1 } : { failures: current.failures + 1 })
      .where(eq(incidents.id, current.id))
      .returning();
    transition = terminal && current.kind !== "terminal" ? "escalated" : "ongoing";
  }
  if (!incident) return;
  if (transition !== "ongoing") await auditIncident(db, transition === "opened" ? "incident.open" : "incident.escalate", incident, row.name, { cause });
  const connection = (await connectionRefOf(db, row.id, row))!;
  const refs = { connectionId: row.id, clientId: row.clientRef, incidentId: incident.id };
  const reason = terminal
    ? { code: f.reauthReason!, message: reauthReasonText(f.reauthReason!), action: RECONNECT }
    : { code: f.kind, message: f.message, action: f.advice || "The console keeps retrying with growing pauses; check Zoho's status and the console's network if it persists." };
  const data: EventData<"connection.refresh_failed"> = {
    connection,
    kind: terminal ? "terminal" : "temporary",
    consecutive_failures: f.failures,
    reason,
    incident: incidentRef(incident, transition),
  };
  if (transition === "ongoing") return;
  // No refresh failed when a newer consent evicted the token: only "needs re-authorization" is true.
  const sent = f.withoutRefresh ? { destinations: [] } : await emitEvent(db, "connection.refresh_failed", data, refs);
  // The same step of the same incident: a destination that took the failure does not get it twice.
  if (terminal) await emitEvent(db, "connection.needs_reauth", { connection, reason, incident: incidentRef(incident, transition) }, refs, { except: sent.destinations });
}

/**
 * A connection now needs re-authorization without a refresh of its own failing (a newer consent
 * evicted its refresh token): a terminal incident opens as for a refused refresh.
 */
export async function noteNeedsReauth(db: Db, connectionId: number, reauthReason: string): Promise<void> {
  const [row] = await db.select().from(connections).where(eq(connections.id, connectionId));
  if (!row) return;
  await noteRefreshFailure(db, row, {
    kind: "invalid_code",
    message: reauthReasonText(reauthReason),
    advice: RECONNECT,
    failures: row.failureStreak + 1,
    reauthReason,
    withoutRefresh: true,
  });
}

async function resolve(db: Db, connectionId: number, resolution: "refreshed" | "reauthorized" | "revoked", name: string): Promise<IncidentRow | undefined> {
  const open = await openIncidentOf(db, connectionId);
  if (!open) return undefined;
  const [done] = await db.update(incidents).set({ resolvedAt: new Date(), resolution }).where(eq(incidents.id, open.id)).returning();
  await auditIncident(db, "incident.resolve", done, name, { resolution });
  return done;
}

/** A refresh of a connection that had failed succeeded: its incident (if any) resolves. */
export async function noteRefreshed(db: Db, row: ConnectionRow): Promise<void> {
  // Only a connection with a failure on record can have an incident open: most refreshes skip the read.
  if (row.failureStreak === 0 && row.failureCount === 0 && row.lastErrorKind === null && row.throttledUntil === null) return;
  const done = await resolve(db, row.id, "refreshed", row.name);
  if (!done) return;
  const connection = (await connectionRefOf(db, row.id))!;
  await emitEvent(db, "connection.recovered", { connection, incident: incidentRef(done, "resolved") }, { connectionId: row.id, clientId: row.clientRef, incidentId: done.id });
}

/** A connection was revoked in the console. */
export async function noteRevoked(db: Db, row: ConnectionRow): Promise<void> {
  const done = await resolve(db, row.id, "revoked", row.name);
  const connection = (await connectionRefOf(db, row.id))!;
  await emitEvent(
    db,
    "connection.revoked",
    { connection, ...(done ? { incident: incidentRef(done, "resolved") } : {}) },
    { connectionId: row.id, clientId: row.clientRef, incidentId: done?.id },
  );
}

/** A consent stored a connection: new (`created`) or reconnected in place (`reauthorized`). */
export async function noteAuthorized(db: Db, connectionId: number, reconnected: boolean): Promise<void> {
  const connection = (await connectionRefOf(db, connectionId))!;
  const refs = { connectionId, clientId: connection.client.id };
  if (!reconnected) {
    await emitEvent(db, "connection.created", { connection }, refs);
    return;
  }
  const done = await resolve(db, connectionId, "reauthorized", connection.name);
  await emitEvent(db, "connection.reauthorized", { connection, ...(done ? { incident: incidentRef(done, "resolved") } : {}) }, { ...refs, incidentId: done?.id });
}

/**
 * Zoho refused the client's credentials (invalid_client, invalid_client_secret): said once per
 * client until its secret is replaced, however many of its connections fail on it.
 */
export async function noteClientRejected(db: Db, clientRef: number, kind: string, message: string, advice: string): Promise<void> {
  const [client] = await db.select({ id: zohoClients.id, name: zohoClients.name, secretUpdatedAt: zohoClients.secretUpdatedAt }).from(zohoClients).where(eq(zohoClients.id, clientRef));
  if (!client) return;
  const [said] = await db
    .select({ n: count() })
    .from(alertEvents)
    .where(and(eq(alertEvents.type, "client.secret_rejected"), eq(alertEvents.clientId, clientRef), gt(alertEvents.createdAt, client.secretUpdatedAt)));
  if ((said?.n ?? 0) > 0) return;
  const [affected] = await db
    .select({ n: count() })
    .from(connections)
    .where(and(eq(connections.clientRef, clientRef), isNull(connections.revokedAt), ne(connections.accessType, "online")));
  await emitEvent(
    db,
    "client.secret_rejected",
    {
      client: { id: client.id, name: client.name, url: consoleUrl(`/clients/${client.id}`) },
      affected_connections: affected?.n ?? 0,
      reason: { code: kind, message, action: advice || "Check the client id and secret in Zoho's API console, then replace the secret on the client's page." },
    },
    { clientId: clientRef },
  );
}

/** Refresh tokens per Zoho user and client at which each new one is announced (16 of Zoho's 20). */
export const BUDGET_LOW_AT = 16;

/** A consent left a Zoho user holding `live` of the 20 refresh tokens Zoho allows per client. */
export async function noteBudget(db: Db, clientRef: number, zuid: string, email: string | null, live: number, cap: number): Promise<void> {
  if (live < BUDGET_LOW_AT) return;
  const [client] = await db.select({ id: zohoClients.id, name: zohoClients.name }).from(zohoClients).where(eq(zohoClients.id, clientRef));
  if (!client) return;
  await emitEvent(
    db,
    "refresh_tokens.budget_low",
    {
      client: { id: client.id, name: client.name, url: consoleUrl(`/clients/${client.id}`) },
      zoho_user: { zuid, email },
      live_refresh_tokens: live,
      cap,
      reason: {
        code: "budget_low",
        message: `${email ?? zuid} now holds ${live} of the ${cap} refresh tokens Zoho allows per user for this client; a consent past ${cap} silently evicts the oldest connection.`,
        action: "Revoke connections of this Zoho user that are no longer used before authorizing new ones.",
      },
    },
    { clientId: clientRef },
  );
}
