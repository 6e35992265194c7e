// The text the audit page's free-text search reads, written once with each event (the
// `search_text` column; the FTS5 table on SQLite and the trigram index on PostgreSQL index it).
// It holds what a person reads or remembers of an event: its sentence and label as recorded, the
// action's key, the actor, the target's name at the time (added in SQL by lib/audit/record.ts) and
// every value of the detail with its key. The detail never holds a secret, so neither does this.
// Pure.
import { actionLabel, type AuditOutcome } from "./actions";
import { auditSentence } from "./sentences";

/** Longest search text kept: a detail is small, but a bulk action's connection list need not all be searchable. */
export const SEARCH_TEXT_MAX = 4000;

function flatten(value: unknown, key: string, out: string[], depth = 0): void {
  if (value === null || value === undefined || value === "" || depth > 4) return;
  if (Array.isArray(value)) {
    for (const v of value) flatten(v, key, out, depth + 1);
    return;
  }
  if (typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, k, out, depth + 1);
    return;
  }
  out.push(`${key} ${String(value)}`);
}

export function auditSearchText(e: { action: string; outcome: AuditOutcome; actorLabel: string; detail: Record<string, unknown> | null }): string {
  const parts = [auditSentence(e.action, e.outcome, e.detail), actionLabel(e.action), e.action, e.actorLabel];
  if (e.detail) flatten(e.detail, "", parts);
  // Control characters are never part of a search (lib/search-words.ts), so they are not kept either.
  return parts.join(" ").replace(/[\u0000-\u001F\u007F-\u009F]+/g, " ").replace(/\s+/g, " ").trim().slice(0, SEARCH_TEXT_MAX);
}
