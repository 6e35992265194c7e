import type { AuditEventDto } from "./query";

/**
 * What the audit table needs of an event. Its label and link follow from the action and target
 * (lib/audit/actions), so the table derives them in the browser: a page of 50 rows then carries
 * each fact once in the data it inlines, not twice. The one-line sentence comes made: the
 * catalogue that writes it (lib/audit/sentences.ts) would otherwise be JavaScript every page with
 * a history downloads before it answers input.
 */
export interface AuditRow {
  id: number;
  at: number;
  actor: { type: AuditEventDto["actor"]["type"]; label: string };
  action: string;
  target: { type: string; id: string; label: string | null } | null;
  outcome: AuditEventDto["outcome"];
  ip: string | null;
  count: number;
  summary: string;
  detail: Record<string, unknown> | null;
}

export function auditRow(e: AuditEventDto): AuditRow {
  return {
    id: e.id,
    at: e.at,
    actor: { type: e.actor.type, label: e.actor.label },
    action: e.action,
    target: e.target && { type: e.target.type, id: e.target.id, label: e.target.label },
    outcome: e.outcome,
    ip: e.ip,
    count: e.count,
    summary: e.summary,
    detail: e.detail,
  };
}

/**
 * A choice of the audit filter's connection picker, [id, label]: up to 500 of them ride in the
 * page's inline data, where a pair costs half of a keyed object.
 */
export type ConnectionOption = [id: number, label: string];

export function connectionOption(c: { id: number; name: string; revoked: boolean }): ConnectionOption {
  return [c.id, c.revoked ? `${c.name} (revoked)` : c.name];
}
