import { Alert } from "@/components/ui/card";
import { BUDGET_WARN_AT, budgetLevel, REFRESH_TOKEN_CAP } from "@/lib/connect/budget-rules";

/** Zoho keeps 20 refresh tokens per user and client; say so before a consent pushes one out. */
export function BudgetWarning({ used, who }: { used: number; who: string }) {
  const level = budgetLevel(used);
  if (level === "ok") return null;
  return (
    <Alert tone="amber">
      <strong>{who}</strong> already holds {used} of Zoho&apos;s {REFRESH_TOKEN_CAP} refresh tokens for this client.{" "}
      {level === "full"
        ? "Another consent makes Zoho silently delete the oldest one; the console will mark that connection as evicted."
        : `At ${REFRESH_TOKEN_CAP} the next consent evicts the oldest connection. Consider reconnecting an existing connection instead of adding one.`}
    </Alert>
  );
}

export function BudgetMeter({ used }: { used: number }) {
  const level = budgetLevel(used);
  const tone = level === "ok" ? "bg-indigo-500" : level === "warn" ? "bg-amber-500" : "bg-red-500";
  return (
    <span className="inline-flex items-center gap-2" title={`Warns from ${BUDGET_WARN_AT}`}>
      <span className="h-1.5 w-20 overflow-hidden rounded-full bg-slate-200" aria-hidden>
        <span className={`block h-full ${tone}`} style={{ width: `${Math.min(100, (used / REFRESH_TOKEN_CAP) * 100)}%` }} />
      </span>
      <span className="tabular-nums">
        {used} of {REFRESH_TOKEN_CAP}
      </span>
    </span>
  );
}
