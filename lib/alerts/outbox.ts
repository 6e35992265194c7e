import "server-only";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertDeliveries, alertDestinations, alertEvents, connections, zohoClients, type ConnectionRow } from "@/db/schema";
import { config } from "@/lib/config";
import { EVENT_VERSION, notifiesPeople, type AlertPayload, type ConnectionRef, type EventData, type EventType } from "./events";

/**
 * The transactional outbox: an event is written with the change that causes it, in the caller's
 * transaction, together with one pending delivery per destination that wants it. A crash between
 * the change and the send cannot lose the alert (the rows commit together) or invent one (they
 * roll back together); the dispatcher sends what committed.
 */

interface EventRefs {
  connectionId?: number;
  clientId?: number;
  incidentId?: number;
}

export const consoleUrl = (path: string) => `${config().CONSOLE_PUBLIC_URL}${path}`;

const newMessageId = () => `msg_${randomBytes(16).toString("base64url")}`;

type Wakers = Set<() => void>;
const holder = globalThis as unknown as { __alertWakers?: Wakers };
const wakers = (holder.__alertWakers ??= new Set());

/** The dispatcher of this process registers here to send soon after an event commits. */
export function onEventWritten(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

interface Routing {
  /** Send to this one destination whatever its filters (Send test). */
  only?: number;
  /** Not to these: they already have an alert about the same change (one alert per incident step). */
  except?: readonly number[];
}

/**
 * Writes the event and its deliveries with `db`, a transaction of the change that causes it;
 * answers the event's row id and the destinations it goes to.
 */
export async function emitEvent<T extends EventType>(
  db: Db,
  type: T,
  data: EventData<T>,
  refs: EventRefs = {},
  { only, except = [] }: Routing = {},
): Promise<{ eventId: number; destinations: number[] }> {
  const payload: AlertPayload<T> = { id: newMessageId(), type, version: EVENT_VERSION, timestamp: new Date().toISOString(), data };
  const [event] = await db
    .insert(alertEvents)
    .values({
      publicId: payload.id,
      type,
      payload: payload as unknown as Record<string, unknown>,
      connectionId: refs.connectionId ?? null,
      clientId: refs.clientId ?? null,
      incidentId: refs.incidentId ?? null,
    })
    .returning({ id: alertEvents.id });
  const d = alertDestinations;
  const candidates = await db
    .select({ id: d.id, kind: d.kind, events: d.events, clientRef: d.clientRef, connectionRef: d.connectionRef })
    .from(d)
    // A paused destination still gets its deliveries: they wait, unsent, until it is resumed.
    .where(only !== undefined ? eq(d.id, only) : eq(d.enabled, true));
  const wanted = candidates.filter(
    (dest) =>
      only !== undefined ||
      (type !== "test" &&
        !except.includes(dest.id) &&
        (dest.events.length === 0 || dest.events.includes(type)) &&
        (dest.clientRef === null || dest.clientRef === refs.clientId) &&
        (dest.connectionRef === null || dest.connectionRef === refs.connectionId) &&
        (dest.kind === "webhook" || notifiesPeople(payload))),
  );
  if (wanted.length) {
    const now = new Date();
    await db.insert(alertDeliveries).values(wanted.map((dest) => ({ eventRef: event.id, destinationRef: dest.id, nextAttemptAt: now })));
    // After the caller's transaction commits, most likely; the dispatcher's poll catches a late one.
    setTimeout(() => wakers.forEach((w) => w()), 50).unref?.();
  }
  return { eventId: event.id, destinations: wanted.map((dest) => dest.id) };
}

/** What every connection event says about the connection: names, Zoho user, binding, link. */
export async function connectionRefOf(db: Db, connectionId: number, row?: ConnectionRow): Promise<ConnectionRef | undefined> {
  const c = row ?? (await db.select().from(connections).where(eq(connections.id, connectionId)))[0];
  if (!c) return undefined;
  const [client] = await db.select({ id: zohoClients.id, name: zohoClients.name }).from(zohoClients).where(eq(zohoClients.id, c.clientRef));
  const b = c.orgBinding ?? {};
  return {
    id: c.id,
    name: c.name,
    url: consoleUrl(`/connections/${c.id}`),
    client: { id: c.clientRef, name: client?.name ?? `client ${c.clientRef}` },
    zoho_user: { zuid: c.zuid, email: c.zohoEmail },
    location: c.location,
    organisations: {
      ...(b.desk ? { desk: { id: b.desk.orgId, name: b.desk.name } } : {}),
      ...(b.salesiq ? { salesiq: { id: b.salesiq.screenName, name: b.salesiq.name } } : {}),
      ...(b.assist
        ? { assist: { id: b.assist.orgId, name: b.assist.name, ...(b.assist.departmentName ? { department: b.assist.departmentName } : {}) } }
        : {}),
    },
  };
}
