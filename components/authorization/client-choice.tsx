"use client";
import { Badge } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { WizardClient } from "@/lib/authorization/queries";
import { REFRESH_TOKEN_CAP } from "@/lib/authorization/budget-rules";
import { BudgetMeter, EvictionGuard } from "./budget-note";

/** The client radios, with each client's data centres and its refresh-token use per Zoho user. */
export function ClientChoice({
  clients,
  value,
  onChange,
  error,
  evictionError,
}: {
  clients: WizardClient[];
  value: number | undefined;
  onChange: (id: number) => void;
  error?: string;
  /** The server's refusal of a consent that would evict a connection unconfirmed. */
  evictionError?: string;
}) {
  const chosen = clients.find((c) => c.id === value);
  return (
    <fieldset aria-describedby={error ? "clientRef-error" : undefined}>
      <legend className="sr-only">Client</legend>
      <div className="grid gap-2 md:grid-cols-2">
        {clients.map((c) => (
          <label
            key={c.id}
            className={cn(
              "flex cursor-pointer items-start gap-3 rounded-md p-3 ring-1 ring-inset",
              value === c.id ? "bg-indigo-50 ring-indigo-400" : "ring-slate-200 hover:bg-slate-50",
            )}
          >
            <input
              type="radio"
              name="clientRef"
              value={c.id}
              checked={value === c.id}
              onChange={() => onChange(c.id)}
              className="mt-1"
            />
            <span className="min-w-0">
              <span className="block text-sm font-medium text-slate-900">{c.name}</span>
              <span className="mt-1 flex flex-wrap gap-1 text-xs text-slate-500">
                <Badge tone={c.realm === "sandbox" ? "blue" : "gray"}>{c.realm === "sandbox" ? "Sandbox" : "Live Zoho"}</Badge>
                <Badge>home {c.homeDc}</Badge>
                {c.multiDc && <Badge tone="green">multi-DC: {c.enabledDcs.join(", ")}</Badge>}
              </span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id="clientRef-error" role="alert" className="mt-1 text-xs font-medium text-red-600">
          {error}
        </p>
      )}
      {chosen && (
        <div className="mt-3 space-y-2 rounded-md bg-slate-50 p-3 text-xs text-slate-600" data-testid="client-budget">
          <p className="font-medium text-slate-700">Refresh tokens held with this client (Zoho keeps 20 per user)</p>
          {chosen.budget.length === 0 ? (
            <p>None yet. The Zoho user is known after consent; the console warns then if the user is close to the limit.</p>
          ) : (
            <ul className="space-y-1">
              {chosen.budget.map((b) => (
                <li key={b.zuid} className="flex items-center justify-between gap-4">
                  <span>{b.zohoEmail ?? `ZUID ${b.zuid}`}</span>
                  <BudgetMeter used={b.used} />
                </li>
              ))}
            </ul>
          )}
          <EvictionGuard
            costs={chosen.evictionRisks.map((r) => ({ who: r.zohoEmail ?? `ZUID ${r.zuid}`, used: r.used, connection: r.oldest }))}
            mustConfirm={chosen.evictionRisks.some((r) => r.used >= REFRESH_TOKEN_CAP)}
            error={evictionError}
          />
        </div>
      )}
    </fieldset>
  );
}
