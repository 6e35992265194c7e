/** Zoho's refresh-token budget (zoho-oauth.md §4) as plain rules; the database side is budget.ts. */

import { REFRESH_TOKEN_CAP } from "@/lib/zoho/limits";

export { REFRESH_TOKEN_CAP };
/** From here on the console warns before another consent for the same pair. */
export const BUDGET_WARN_AT = 18;

type BudgetLevel = "ok" | "warn" | "full";

export function budgetLevel(used: number): BudgetLevel {
  if (used >= REFRESH_TOKEN_CAP) return "full";
  return used >= BUDGET_WARN_AT ? "warn" : "ok";
}

/**
 * Which of the live tokens one more token pushes out: the oldest first, as many as go past the
 * cap. `live` are the tokens alive before the new one is minted.
 */
export function pickEvictions(live: readonly { id: number; issuedAt: number }[], cap = REFRESH_TOKEN_CAP): number[] {
  const over = live.length + 1 - cap;
  if (over <= 0) return [];
  return [...live]
    .sort((a, b) => a.issuedAt - b.issuedAt || a.id - b.id)
    .slice(0, over)
    .map((t) => t.id);
}
