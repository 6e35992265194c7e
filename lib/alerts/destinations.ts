import "server-only";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { alertDeliveries, alertDestinations, connections, zohoClients } from "@/db/schema";
import type { AlertDestinationKind } from "@/db/enums";
import { recordAudit, type Actor, type AuditAction } from "@/lib/audit";
import { config } from "@/lib/config";
import { UserError } from "@/lib/errors";
import { decryptSecret, encryptSecret, secretPlace } from "@/lib/secrets";
import type { EventType } from "./events";
import type { DestinationInput, DestinationUpdate } from "./input";
import { newWebhookSecret } from "./signing";
import { checkDestinationAddress, checkDestinationUrl } from "./transport";

/** What pages see of a destination: never the URL past its host, never a secret. */
export interface DestinationDto {
  id: number;
  name: string;
  kind: AlertDestinationKind;
  urlHint: string | null;
  emails: string[];
  events: EventType[];
  client: { id: number; name: string } | null;
  connection: { id: number; name: string } | null;
  enabled: boolean;
  pausedAt: number | null;
  pauseReason: string | null;
  failingSince: number | null;
  /** While a rotated-out webhook secret still signs beside the new one. */
  previousSecretUntil: number | null;
  pending: number;
  createdAt: number;
}

/** Keeps scheme and host only: the path and query of a Slack or webhook URL can be a credential. */
export function urlHintOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/…`;
}

/** Refused at save: what the dispatcher would refuse at send (not https, a private address, …). */
export async function assertSendableUrl(raw: string): Promise<string> {
  const allowed = config().CONSOLE_ALERTS_ALLOWED_HOSTS;
  const checked = checkDestinationUrl(raw, allowed);
  if (!checked.ok) throw new UserError(checked.reason, "url");
  const address = await checkDestinationAddress(checked.url, allowed);
  if (!address.ok) throw new UserError(address.reason, "url");
  return checked.url.toString();
}

async function assertFilters(input: Pick<DestinationInput, "clientId" | "connectionId">) {
  if (input.clientId !== null && !(await getDb().select({ id: zohoClients.id }).from(zohoClients).where(eq(zohoClients.id, input.clientId))).length) {
    throw new UserError("That client no longer exists.", "clientId");
  }
  if (input.connectionId !== null && !(await getDb().select({ id: connections.id }).from(connections).where(eq(connections.id, input.connectionId))).length) {
    throw new UserError("That connection no longer exists.", "connectionId");
  }
}

const auditOf = (actor: Actor, ip: string | null, action: AuditAction, id: number, detail: Record<string, unknown>) =>
  recordAudit({ actor, action, target: { type: "alert_destination", id }, detail, ip });

/** Creates a destination; a webhook's signing secret is in the answer, once. */
export async function createDestination(input: DestinationInput, actor: Actor, ip: string | null): Promise<{ id: number; secret?: string }> {
  await assertFilters(input);
  const url = input.kind === "email" ? null : await assertSendableUrl(input.url);
  if (input.kind === "email" && !config().SMTP_URL) {
    throw new UserError("E-mail needs an SMTP server: set SMTP_URL (smtp://host:port) in the console's environment and restart it.", "kind");
  }
  const secret = input.kind === "webhook" ? newWebhookSecret() : undefined;
  const id = await tx(async (db) => {
    const [row] = await db
      .insert(alertDestinations)
      .values({
        name: input.name,
        kind: input.kind,
        urlHint: url ? urlHintOf(url) : null,
        emails: input.kind === "email" ? input.emails : [],
        events: input.events,
        clientRef: input.clientId,
        connectionRef: input.connectionId,
        createdBy: actor.type === "user" ? actor.id : null,
      })
      .returning({ id: alertDestinations.id });
    // Bound to the row id, so the values are sealed after the insert, in the same transaction.
    await db
      .update(alertDestinations)
      .set({
        urlEnc: url ? encryptSecret(url, secretPlace.alertUrl(row.id)) : null,
        secretEnc: secret ? encryptSecret(secret, secretPlace.alertSecret(row.id)) : null,
      })
      .where(eq(alertDestinations.id, row.id));
    return row.id;
  });
  await auditOf(actor, ip, "alert.destination_create", id, { name: input.name, kind: input.kind, events: input.events, host: url ? new URL(url).host : undefined });
  return { id, secret };
}

async function loadRow(id: number) {
  const [row] = await getDb().select().from(alertDestinations).where(eq(alertDestinations.id, id));
  if (!row) throw new UserError("This alert destination no longer exists.");
  return row;
}

export async function updateDestination(input: DestinationUpdate, actor: Actor, ip: string | null): Promise<void> {
  const before = await loadRow(input.id);
  if (before.kind !== input.kind) throw new UserError("A destination keeps its kind; add a new destination instead.", "kind");
  await assertFilters(input);
  const url = input.kind !== "email" && input.url ? await assertSendableUrl(input.url) : null;
  await getDb()
    .update(alertDestinations)
    .set({
      name: input.name,
      emails: input.kind === "email" ? input.emails : [],
      events: input.events,
      clientRef: input.clientId,
      connectionRef: input.connectionId,
      // A new URL is a new receiver: the old one's run of failures says nothing about it.
      ...(url ? { urlEnc: encryptSecret(url, secretPlace.alertUrl(input.id)), urlHint: urlHintOf(url), failingSince: null, lastFailureAt: null } : {}),
      updatedAt: new Date(),
    })
    .where(eq(alertDestinations.id, input.id));
  const changed = [
    before.name !== input.name && "name",
    url && "url",
    JSON.stringify(before.events) !== JSON.stringify(input.events) && "events",
    JSON.stringify(before.emails) !== JSON.stringify(input.kind === "email" ? input.emails : []) && "recipients",
    (before.clientRef !== input.clientId || before.connectionRef !== input.connectionId) && "filter",
  ].filter(Boolean);
  // Old and new values of what changed, for the audit's before/after; the URL is a credential, so
  // only its hint (host and the last characters) is shown.
  const was: Record<string, unknown> = { name: before.name, url: before.urlHint, events: before.events, recipients: before.emails, filter: { client: before.clientRef, connection: before.connectionRef } };
  const now: Record<string, unknown> = { name: input.name, url: url ? urlHintOf(url) : before.urlHint, events: input.events, recipients: input.kind === "email" ? input.emails : [], filter: { client: input.clientId ?? null, connection: input.connectionId ?? null } };
  const pick = (from: Record<string, unknown>) => Object.fromEntries(changed.map((k) => [k, from[k as string] ?? null]));
  await auditOf(actor, ip, "alert.destination_update", input.id, { name: input.name, changed, before: pick(was), after: pick(now) });
}

export async function deleteDestination(id: number, actor: Actor, ip: string | null): Promise<string> {
  const row = await loadRow(id);
  await getDb().delete(alertDestinations).where(eq(alertDestinations.id, id));
  await auditOf(actor, ip, "alert.destination_delete", id, { name: row.name, kind: row.kind });
  return row.name;
}

/** How long a rotated-out secret keeps signing beside the new one, so receivers can switch over. */
export const PREVIOUS_SECRET_MS = 24 * 60 * 60_000;

/** A new signing secret (shown once); the old one signs too for 24 h. */
export async function rotateSecret(id: number, actor: Actor, ip: string | null): Promise<string> {
  const row = await loadRow(id);
  if (row.kind !== "webhook" || !row.secretEnc) throw new UserError("Only webhooks have a signing secret.");
  const secret = newWebhookSecret();
  const previous = decryptSecret(row.secretEnc, secretPlace.alertSecret(id));
  const until = new Date(Date.now() + PREVIOUS_SECRET_MS);
  await getDb()
    .update(alertDestinations)
    .set({
      secretEnc: encryptSecret(secret, secretPlace.alertSecret(id)),
      previousSecretEnc: encryptSecret(previous, secretPlace.alertPreviousSecret(id)),
      previousSecretUntil: until,
      updatedAt: new Date(),
    })
    .where(eq(alertDestinations.id, id));
  await auditOf(actor, ip, "alert.destination_rotate", id, { name: row.name, previousSignsUntil: until.toISOString() });
  return secret;
}

/** Resumes a paused (or switched off) destination; its run of failures starts afresh. */
export async function resumeDestination(id: number, actor: Actor, ip: string | null): Promise<string> {
  const row = await loadRow(id);
  await getDb()
    .update(alertDestinations)
    .set({ pausedAt: null, pauseReason: null, failingSince: null, lastFailureAt: null, enabled: true, updatedAt: new Date() })
    .where(eq(alertDestinations.id, id));
  await auditOf(actor, ip, "alert.destination_resume", id, { name: row.name });
  return row.name;
}

const pendingCount = sql<number>`(select count(*) from ${alertDeliveries} where ${alertDeliveries.destinationRef} = ${alertDestinations.id} and ${alertDeliveries.state} = 'pending')`;

export async function listDestinations(): Promise<DestinationDto[]> {
  const d = alertDestinations;
  const rows = await getDb()
    .select({
      row: d,
      clientName: zohoClients.name,
      connectionName: connections.name,
      pending: pendingCount,
    })
    .from(d)
    .leftJoin(zohoClients, eq(zohoClients.id, d.clientRef))
    .leftJoin(connections, eq(connections.id, d.connectionRef))
    .orderBy(asc(d.createdAt), asc(d.id));
  return rows.map(({ row, clientName, connectionName, pending }) => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    urlHint: row.urlHint,
    emails: row.emails,
    events: row.events as EventType[],
    client: row.clientRef !== null ? { id: row.clientRef, name: clientName ?? `client ${row.clientRef}` } : null,
    connection: row.connectionRef !== null ? { id: row.connectionRef, name: connectionName ?? `connection ${row.connectionRef}` } : null,
    enabled: row.enabled,
    pausedAt: row.pausedAt?.getTime() ?? null,
    pauseReason: row.pauseReason,
    failingSince: row.failingSince?.getTime() ?? null,
    previousSecretUntil: row.previousSecretUntil && row.previousSecretUntil.getTime() > Date.now() ? row.previousSecretUntil.getTime() : null,
    pending: Number(pending),
    createdAt: row.createdAt.getTime(),
  }));
}

export async function getDestination(id: number): Promise<DestinationDto | undefined> {
  return (await listDestinations()).find((d) => d.id === id);
}

/** Paused destinations, for the notice on the Alerts page. */
export async function pausedDestinationCount(): Promise<number> {
  const [row] = await getDb()
    .select({ n: count() })
    .from(alertDestinations)
    .where(and(eq(alertDestinations.enabled, true), sql`${alertDestinations.pausedAt} is not null`));
  return row?.n ?? 0;
}

