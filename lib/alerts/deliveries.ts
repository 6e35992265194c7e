import "server-only";
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { alertAttempts, alertDeliveries, alertDestinations, alertEvents } from "@/db/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { UserError } from "@/lib/errors";
import { deliverNow } from "./dispatcher";
import { consoleUrl, emitEvent } from "./outbox";

/** One row of a destination's delivery log; the event's payload never leaves with it. */
export interface DeliveryDto {
  id: number;
  eventType: string;
  eventId: string;
  createdAt: number;
  state: "pending" | "delivered" | "failed";
  attempts: number;
  lastStatus: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  lastResponseHead: string | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
}

export interface AttemptDto {
  at: number;
  outcome: string;
  status: number | null;
  latencyMs: number;
  error: string | null;
  responseHead: string | null;
}

export const DELIVERY_PAGE = 50;

/** Newest first, keyset-paged by id (`before`: the last id of the previous page). */
export async function listDeliveries(destinationId: number, before?: number): Promise<{ rows: DeliveryDto[]; nextBefore: number | null }> {
  const d = alertDeliveries;
  const rows = await getDb()
    .select({ d, type: alertEvents.type, publicId: alertEvents.publicId })
    .from(d)
    .innerJoin(alertEvents, eq(alertEvents.id, d.eventRef))
    .where(and(eq(d.destinationRef, destinationId), before ? lt(d.id, before) : undefined))
    .orderBy(desc(d.id))
    .limit(DELIVERY_PAGE + 1);
  const page = rows.slice(0, DELIVERY_PAGE).map(({ d: r, type, publicId }) => ({
    id: r.id,
    eventType: type,
    eventId: publicId,
    createdAt: r.createdAt.getTime(),
    state: r.state,
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastLatencyMs: r.lastLatencyMs,
    lastError: r.lastError,
    lastResponseHead: r.lastResponseHead,
    nextAttemptAt: r.state === "pending" ? r.nextAttemptAt.getTime() : null,
    deliveredAt: r.deliveredAt?.getTime() ?? null,
  }));
  return { rows: page, nextBefore: rows.length > DELIVERY_PAGE ? page[page.length - 1].id : null };
}

export async function listAttempts(deliveryId: number): Promise<AttemptDto[]> {
  return (await attemptsOf([deliveryId])).get(deliveryId) ?? [];
}

/** The attempts of a page of deliveries, newest first per delivery, in one query. */
export async function attemptsOf(deliveryIds: number[]): Promise<Map<number, AttemptDto[]>> {
  const out = new Map<number, AttemptDto[]>();
  if (deliveryIds.length === 0) return out;
  const a = alertAttempts;
  const rows = await getDb().select().from(a).where(inArray(a.deliveryRef, deliveryIds)).orderBy(desc(a.at), desc(a.id));
  for (const r of rows) {
    const list = out.get(r.deliveryRef) ?? [];
    // A delivery is tried for at most 24 hours: its attempts are few, but the page shows 100 at most.
    if (list.length < 100) list.push({ at: r.at.getTime(), outcome: r.outcome, status: r.status, latencyMs: r.latencyMs, error: r.error, responseHead: r.responseHead });
    out.set(r.deliveryRef, list);
  }
  return out;
}

/**
 * Sends a delivered or failed event to its destination again, as a new delivery with the same
 * webhook-id (receivers that de-duplicate see one message).
 */
export async function replayDelivery(deliveryId: number, actor: Actor, ip: string | null): Promise<number> {
  const [old] = await getDb()
    .select({ eventRef: alertDeliveries.eventRef, destinationRef: alertDeliveries.destinationRef, type: alertEvents.type, name: alertDestinations.name })
    .from(alertDeliveries)
    .innerJoin(alertEvents, eq(alertEvents.id, alertDeliveries.eventRef))
    .innerJoin(alertDestinations, eq(alertDestinations.id, alertDeliveries.destinationRef))
    .where(eq(alertDeliveries.id, deliveryId));
  if (!old) throw new UserError("This delivery no longer exists (old deliveries are pruned).");
  const [row] = await getDb()
    .insert(alertDeliveries)
    .values({ eventRef: old.eventRef, destinationRef: old.destinationRef, nextAttemptAt: new Date() })
    .returning({ id: alertDeliveries.id });
  await recordAudit({ actor, action: "alert.replay", target: { type: "alert_destination", id: old.destinationRef }, detail: { name: old.name, event: old.type, delivery: deliveryId }, ip });
  return row.id;
}

/** Sends a `test` event to one destination now and says what happened, for the inline result. */
export async function sendTest(destinationId: number, actor: Actor, ip: string | null) {
  const [dest] = await getDb().select({ id: alertDestinations.id, name: alertDestinations.name }).from(alertDestinations).where(eq(alertDestinations.id, destinationId));
  if (!dest) throw new UserError("This alert destination no longer exists.");
  const deliveryId = await tx(async (db) => {
    const { eventId } = await emitEvent(
      db,
      "test",
      { message: `A test alert from the Zoho OAuth Console, sent by ${actor.label}.`, destination: { id: dest.id, name: dest.name }, url: consoleUrl(`/settings/alerts/${dest.id}`) },
      {},
      { only: dest.id },
    );
    const [d] = await db.select({ id: alertDeliveries.id }).from(alertDeliveries).where(eq(alertDeliveries.eventRef, eventId));
    return d.id;
  });
  const result = await deliverNow(deliveryId);
  await recordAudit({
    actor,
    action: "alert.test",
    target: { type: "alert_destination", id: dest.id },
    outcome: result?.outcome.kind === "delivered" ? "success" : "failure",
    detail: { name: dest.name, status: result?.outcome.status, error: result?.error ?? undefined },
    ip,
  });
  if (!result) throw new UserError("The test could not be sent now: the destination is switched off, or its delivery was taken by another instance. Try again.");
  const o = result.outcome;
  return {
    delivered: o.kind === "delivered",
    /** pending: it is tried again at `nextAttemptAt`; failed: final (a 4xx, a refused address, …). */
    state: result.state,
    nextAttemptAt: result.state === "pending" ? result.next : null,
    status: o.status ?? null,
    latencyMs: o.latencyMs,
    responseHead: o.responseHead ?? null,
    error: result.error,
  };
}
