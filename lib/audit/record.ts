import "server-only";
import { getDb } from "@/db/client";
import { auditEvents } from "@/db/schema";

export type Actor =
  | { type: "user"; id: number; label: string }
  | { type: "api_key"; id: number; label: string }
  | { type: "system"; label: string }
  | { type: "anonymous"; label: string };

export interface AuditInput {
  actor: Actor;
  action: string;
  target?: { type: string; id: string | number };
  outcome?: "success" | "failure" | "denied";
  /** Never put secrets here: the trail is shown to viewers and exported. */
  detail?: Record<string, unknown>;
  ip?: string | null;
}

/**
 * Appends one event. Times are whole milliseconds set here (the column's default would store a
 * fraction), so the (time, id) keyset of the audit page compares exactly what it was given.
 */
export function recordAudit(input: AuditInput) {
  getDb()
    .insert(auditEvents)
    .values({
      at: new Date(),
      actorType: input.actor.type,
      actorId: "id" in input.actor ? String(input.actor.id) : null,
      actorLabel: input.actor.label,
      action: input.action,
      targetType: input.target?.type ?? null,
      targetId: input.target ? String(input.target.id) : null,
      outcome: input.outcome ?? "success",
      detail: input.detail ?? null,
      ip: input.ip ?? null,
    })
    .run();
}

export const systemActor: Actor = { type: "system", label: "system" };
