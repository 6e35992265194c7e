import Link from "next/link";
import { CircleCheck } from "lucide-react";
import { buttonClass } from "@/components/ui/button";
import { Alert, Badge, Card } from "@/components/ui/card";
import type { ConnectedOutcome } from "@/lib/authorization/outcome";
import type { ConnectionSummary } from "@/lib/authorization/queries";
import { servicesOf } from "@/lib/zoho/scope-catalogue";
import { BindingSummary } from "./binding-summary";
import { BudgetWarning } from "./budget-note";

const SERVICE_NAMES: Record<string, string> = { desk: "Desk", assist: "Assist", salesiq: "SalesIQ" };

export function ConnectedPanel({ outcome, connection }: { outcome: ConnectedOutcome; connection: ConnectionSummary }) {
  const services = servicesOf(connection.scopesGranted);
  return (
    <Card className="p-6">
      <div className="flex items-start gap-4">
        <CircleCheck className="mt-0.5 h-6 w-6 shrink-0 text-emerald-600" aria-hidden />
        <div className="min-w-0 flex-1 space-y-4">
          <div>
            <h2 className="text-base font-semibold text-slate-900">
              {outcome.reconnected ? "Reconnected" : "Connected"}: {connection.name}
            </h2>
            <p className="mt-1 text-sm text-slate-600">
              {connection.zohoEmail ? (
                <>
                  Authorized by <strong>{connection.zohoName ?? connection.zohoEmail}</strong> ({connection.zohoEmail}) through{" "}
                </>
              ) : (
                <>Authorized through </>
              )}
              {connection.clientName}. Tokens are stored encrypted.
            </p>
          </div>
          {outcome.evicted.length > 0 && (
            <Alert tone="amber">
              Zoho keeps 20 refresh tokens per user and client, so this consent made Zoho delete the oldest one. Evicted by a newer
              consent:{" "}
              {outcome.evicted.map((c, i) => (
                <span key={c.id}>
                  {i > 0 && ", "}
                  <Link href={`/connections/${c.id}`} className="font-medium underline">
                    {c.name}
                  </Link>
                </span>
              ))}
              . Reconnect it if it is still needed.
            </Alert>
          )}
          {outcome.budgetUsed !== null && outcome.evicted.length === 0 && connection.zohoEmail && (
            <BudgetWarning used={outcome.budgetUsed} who={connection.zohoEmail} />
          )}
          {outcome.missingRefreshToken && (
            <Alert tone="amber">Zoho sent no refresh token, so this connection lasts one hour. Reconnect to get one.</Alert>
          )}
          {outcome.discoveryProblems.map((p) => (
            <Alert key={p.service} tone="amber">
              <strong>{SERVICE_NAMES[p.service]}:</strong> {p.message} {p.advice} The token is kept;{" "}
              <Link href={`/connections/${connection.id}/binding`} className="font-medium underline">
                bind it later
              </Link>
              .
            </Alert>
          ))}
          <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
            <dt className="text-slate-500">Data centre</dt>
            <dd className="text-slate-900" data-testid="connection-location">{connection.location}</dd>
            <dt className="text-slate-500">Accounts server</dt>
            <dd className="break-all text-slate-900" data-testid="connection-accounts-server">{connection.accountsServer}</dd>
            <dt className="text-slate-500">API domain</dt>
            <dd className="break-all text-slate-900" data-testid="connection-api-domain">{connection.apiDomain}</dd>
            <dt className="text-slate-500">Access type</dt>
            <dd className="text-slate-900">{connection.accessType === "offline" ? "Offline (refresh token kept)" : "Online (one hour)"}</dd>
            <dt className="text-slate-500">Scopes granted</dt>
            <dd className="flex flex-wrap gap-1">
              {connection.scopesGranted.map((s) => (
                <Badge key={s}>{s}</Badge>
              ))}
            </dd>
          </dl>
          <BindingSummary binding={connection.orgBinding} services={services} />
          <div className="flex flex-wrap gap-2 pt-1">
            <Link href={`/connections/${connection.id}`} className={buttonClass()}>
              Open connection
            </Link>
            {services.some((s) => s !== "profile") && (
              <Link href={`/connections/${connection.id}/binding`} className={buttonClass("secondary")}>
                Change binding
              </Link>
            )}
            <Link href="/connections/new" className={buttonClass("secondary")}>
              New connection
            </Link>
          </div>
        </div>
      </div>
    </Card>
  );
}
