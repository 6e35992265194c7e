import { Alert } from "@/components/ui/card";
import { BUDGET_WARN_AT, budgetLevel, REFRESH_TOKEN_CAP } from "@/lib/authorization/budget-rules";

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

export interface EvictionCost {
  /** The Zoho user whose next consent costs the connection; unknown before a new consent. */
  who?: string;
  used?: number;
  connection: { id: number; name: string };
}

/**
 * Before Authorize: which connection a consent would cost under Zoho's 20-per-user budget. When a
 * consent certainly or possibly evicts one (`mustConfirm`), the person ticks a box naming it —
 * the server refuses the consent otherwise.
 */
export function EvictionGuard({ costs, mustConfirm, error, reconnect = false }: { costs: EvictionCost[]; mustConfirm: boolean; error?: string; reconnect?: boolean }) {
  if (costs.length === 0) return null;
  const link = (c: EvictionCost["connection"]) => (
    <a href={`/connections/${c.id}`} target="_blank" rel="noreferrer" className="font-medium underline">
      {c.name} (#{c.id})
    </a>
  );
  return (
    <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="eviction-guard">
      <p className="font-medium">Zoho keeps {REFRESH_TOKEN_CAP} refresh tokens per user and client and drops the oldest without telling anyone.</p>
      <ul className="list-disc space-y-1 pl-5">
        {costs.map((c) => (
          <li key={c.connection.id}>
            {reconnect ? (
              <>This reconnect makes Zoho drop the refresh token of {link(c.connection)}; it will need re-authorization.</>
            ) : c.used !== undefined && c.used >= REFRESH_TOKEN_CAP ? (
              <>
                <strong>{c.who}</strong> holds {c.used} of {REFRESH_TOKEN_CAP}: if {c.who} consents, {link(c.connection)} is evicted.
              </>
            ) : (
              <>
                <strong>{c.who}</strong> holds {c.used} of {REFRESH_TOKEN_CAP}: one more consent fills the budget; the one after evicts {link(c.connection)}.
              </>
            )}
          </li>
        ))}
      </ul>
      {mustConfirm && (
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            name="acceptEviction"
            className="mt-1"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "acceptEviction-error" : undefined}
          />
          <span>I understand: the connection named above stops working if this consent goes ahead.</span>
        </label>
      )}
      {error && (
        <p id="acceptEviction-error" role="alert" className="text-xs font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
