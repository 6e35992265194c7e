import "server-only";
import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { getDb, tx, type Db } from "@/db/client";
import { alertDestinations, apiKeys, auditEvents, connections, refreshRollups, users, zohoClients } from "@/db/schema";
import type { AuditAction } from "./actions";
import { REFRESH_ACTION, rollupBucketOf, rollupKindOf } from "./rollup-sql";
import { requestContext } from "@/lib/log";
import { auditSearchText } from "./search-text";

export type Actor =
  | { type: "user"; id: number; label: string }
  | { type: "api_key"; id: number; label: string }
  | { type: "system"; label: string }
  | { type: "anonymous"; label: string };

export interface AuditInput {
  actor: Actor;
  action: AuditAction;
  target?: { type: string; id: string | number };
  outcome?: "success" | "failure" | "denied";
  /** Never put secrets here: the trail is shown to viewers and exported. */
  detail?: Record<string, unknown>;
  ip?: string | null;
  /**
   * A further part of the fold's key, from a set the caller bounds (such as the console's own
   * account a failed sign-in named, or a connection that exists), so those events are counted
   * apart. Never a value taken from the request as it came.
   */
  foldBy?: string;
  /**
   * Fold this event like an anonymous one, per actor: for refusals a signed-in user or a key's
   * holder can cause at will (a replayed callback, a forbidden action, a misconfigured service,
   * a scanner with a stolen key), so they cost one row per actor, action, outcome, reason and
   * minute — whatever target or address each request names, however many instances answer.
   */
  fold?: boolean;
}

const MINUTE = 60_000;

/**
 * Anyone can make anonymous events (a wrong password, a forged OAuth callback, an unknown API
 * key), so they must not cost a row each: events from one address with the same action,
 * outcome and reason in the same minute share one row and count. The reason comes from a fixed
 * set in the code, never from the request, so the rows an attacker can cause are bounded by
 * addresses × minutes, however many requests are sent.
 *
 * A known actor's folded events (`fold`) are keyed on the actor instead of the address: the
 * target (an id in the request) and the address (a client with many IPv6 addresses has plenty)
 * are the caller's to vary, so neither may open a new row. The row keeps the first event's.
 */
export function aggregateKeyOf(input: AuditInput, at: Date): string | null {
  const anonymous = input.actor.type === "anonymous";
  if (!anonymous && !input.fold) return null;
  const reason = typeof input.detail?.reason === "string" ? input.detail.reason : "";
  const minute = Math.floor(at.getTime() / MINUTE) * MINUTE;
  const who = anonymous ? ["anonymous", input.ip ?? ""] : [input.actor.type, "id" in input.actor ? input.actor.id : input.actor.label];
  const parts = JSON.stringify([minute, ...who, input.action, input.outcome ?? "success", reason, input.foldBy ?? ""]);
  return createHash("sha256").update(parts).digest("base64url");
}

/** A refresh event's trigger (background, manual, api, rejected), kept in its own column; null for other actions. */
export function triggerOf(input: Pick<AuditInput, "action" | "detail">): string | null {
  const trigger = input.detail?.trigger;
  return input.action === REFRESH_ACTION && typeof trigger === "string" ? trigger : null;
}

/** The target's name as it is now, read in the insert itself (no round trip), for the search text. */
function targetNameSql(target: AuditInput["target"]): SQL | null {
  if (!target || !/^\d{1,12}$/.test(String(target.id))) return null;
  const id = Number(target.id);
  switch (target.type) {
    case "connection":
      return sql`(select ${connections.name} from ${connections} where ${connections.id} = ${id})`;
    case "client":
      return sql`(select ${zohoClients.name} from ${zohoClients} where ${zohoClients.id} = ${id})`;
    case "user":
      return sql`(select ${users.email} from ${users} where ${users.id} = ${id})`;
    case "api_key":
      return sql`(select ${apiKeys.name} from ${apiKeys} where ${apiKeys.id} = ${id})`;
    case "alert_destination":
      return sql`(select ${alertDestinations.name} from ${alertDestinations} where ${alertDestinations.id} = ${id})`;
    default:
      return null;
  }
}

/** The event's search text (lib/audit/search-text.ts) with its target's name, as the insert writes it. */
export function searchTextSql(input: Pick<AuditInput, "action" | "actor" | "target" | "detail" | "outcome">): SQL {
  const text = auditSearchText({ action: input.action, outcome: input.outcome ?? "success", actorLabel: input.actor.label, detail: input.detail ?? null });
  const name = targetNameSql(input.target);
  return name ? sql`(cast(${text} as text) || coalesce(' ' || ${name}, ''))` : sql`cast(${text} as text)`;
}

/**
 * Appends one event (or counts it on its minute's row, for anonymous and folded events); `db` is a
 * transaction when the event must commit with the change it records. Times are whole
 * milliseconds set here (the column's default would store a fraction), so the (time, id) keyset
 * of the audit page compares exactly what it was given.
 *
 * A refresh event also counts in its quarter hour's rollup (what the overview's chart reads), in
 * the same transaction: the caller's, or one of its own, so the count and the event commit or
 * roll back together.
 */
export async function recordAudit(input: AuditInput, now = new Date(), db?: Db): Promise<void> {
  const trigger = triggerOf(input);
  const outcome = input.outcome ?? "success";
  const write = async (d: Db) => {
    const aggregateKey = aggregateKeyOf(input, now);
    const insert = d.insert(auditEvents).values({
      at: now,
      actorType: input.actor.type,
      actorId: "id" in input.actor ? String(input.actor.id) : null,
      actorLabel: input.actor.label,
      action: input.action,
      targetType: input.target?.type ?? null,
      targetId: input.target ? String(input.target.id) : null,
      outcome,
      detail: input.detail ?? null,
      ip: input.ip ?? null,
      aggregateKey,
      trigger,
      searchText: searchTextSql(input),
      requestId: requestContext()?.requestId ?? null,
    });
    if (aggregateKey === null) await insert;
    else await insert.onConflictDoUpdate({ target: auditEvents.aggregateKey, set: { repeatCount: sql`${auditEvents.repeatCount} + 1` } });
    if (input.action !== REFRESH_ACTION) return;
    const r = refreshRollups;
    await d
      .insert(r)
      .values({ bucket: rollupBucketOf(now.getTime()), trigger: trigger ?? "", outcome, kind: rollupKindOf(outcome, input.detail), count: 1 })
      .onConflictDoUpdate({ target: [r.bucket, r.trigger, r.outcome, r.kind], set: { count: sql`${r.count} + 1` } });
  };
  if (db) return write(db);
  return input.action === REFRESH_ACTION ? tx(write) : write(getDb());
}

export const systemActor: Actor = { type: "system", label: "system" };

export type UserActor = Extract<Actor, { type: "user" }>;

/** The one way a console user becomes an audit actor: their id, shown by their e-mail. */
export const actorOf = (user: { id: number; email: string }): UserActor => ({ type: "user", id: user.id, label: user.email });
