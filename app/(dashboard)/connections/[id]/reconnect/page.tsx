import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BudgetWarning } from "@/components/authorization/budget-note";
import { ReconnectForm } from "@/components/authorization/reconnect-form";
import { BindingSummary } from "@/components/authorization/binding-summary";
import { Alert, Card, PageHeader } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/session";
import { connectionSummary } from "@/lib/authorization/queries";
import { reconnectNeedsProfile } from "@/lib/authorization/start";
import { parseScopeString } from "@/lib/zoho";
import { reauthReasonText } from "@/lib/connection-status";

export const metadata: Metadata = { title: "Reconnect" };

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function ReconnectPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  await requirePermission("connections:connect");
  const id = Number((await params).id);
  const conn = Number.isInteger(id) && id > 0 ? await connectionSummary(id) : undefined;
  if (!conn) notFound();
  const wanted = (await searchParams).scopes;
  const prefill = parseScopeString(typeof wanted === "string" ? wanted : "").scopes;
  return (
    <>
      <PageHeader
        title={`Reconnect ${conn.name}`}
        description={
          <>
            <Link href="/connections" className="text-indigo-600 hover:underline">Connections</Link> /{" "}
            <Link href={`/connections/${conn.id}`} className="text-indigo-600 hover:underline">{conn.name}</Link> / Authorize again
            through {conn.clientName}
            {conn.zohoEmail ? <> as {conn.zohoEmail}</> : null}, to change scopes or replace a dead refresh token.
          </>
        }
      />
      <div className="space-y-4">
        {conn.revoked ? (
          <Alert tone="amber">
            This connection was revoked: its tokens were revoked at Zoho and wiped here. Authorize it again to give it new tokens;
            it keeps its name, id, organisation binding and history.
          </Alert>
        ) : (
          conn.reauthReason && <Alert tone="amber">This connection needs a new consent. {reauthReasonText(conn.reauthReason)}</Alert>
        )}
        {conn.budgetUsed !== null && conn.zohoEmail && conn.reconnectEvicts.length === 0 && <BudgetWarning used={conn.budgetUsed} who={conn.zohoEmail} />}
        {conn.zohoEmail && (
          <p className="text-sm text-slate-600">
            Sign in to Zoho as <strong>{conn.zohoEmail}</strong>: a consent by another Zoho user is refused and leaves this
            connection unchanged.
          </p>
        )}
        {Object.keys(conn.orgBinding).length > 0 && (
          <Card className="space-y-2 p-5">
            <h2 className="text-sm font-semibold text-slate-900">Organisation binding kept</h2>
            <p className="text-xs text-slate-600">Kept as long as Zoho still offers it to this user; otherwise you choose again.</p>
            <BindingSummary binding={conn.orgBinding} services={Object.keys(conn.orgBinding)} />
          </Card>
        )}
        <ReconnectForm
          connectionId={conn.id}
          current={conn.scopesRequested}
          initial={prefill.length ? prefill : conn.scopesRequested}
          zohoUser={reconnectNeedsProfile(conn) ? (conn.zohoEmail ?? `ZUID ${conn.zuid}`) : undefined}
          revoked={conn.revoked}
          evicts={conn.reconnectEvicts}
        />
      </div>
    </>
  );
}
