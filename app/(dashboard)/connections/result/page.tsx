import type { Metadata } from "next";
import Link from "next/link";
import { ConnectedPanel } from "@/components/authorization/connected-panel";
import { FailurePanel } from "@/components/authorization/failure-panel";
import { Alert, PageHeader } from "@/components/ui/card";
import type { OrgBinding } from "@/lib/authorization/binding-plan";
import { requireUser } from "@/lib/auth/session";
import { explainFlowFailure, isFlowFailure, parseLocation } from "@/lib/authorization/failures";
import { resultView, type ResultView } from "@/lib/authorization/queries";

export const metadata: Metadata = { title: "Authorization result" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function retryHref(view: ResultView): string {
  if (view.reconnectId) return `/connections/${view.reconnectId}/reconnect`;
  const q = new URLSearchParams({ client: String(view.clientRef), scopes: view.scopes.join(","), name: view.connectionName });
  return `/connections/new?${q}`;
}

function unbound(needs: string[], b: OrgBinding): string[] {
  return needs.filter((s) => (s === "desk" ? !b.desk : s === "salesiq" ? !b.salesiq : !b.assist?.departmentId));
}

export default async function ResultPage({ searchParams }: { searchParams: Search }) {
  const user = await requireUser();
  const q = await searchParams;
  const header = <PageHeader title="Authorization result" description={<Link href="/connections" className="text-indigo-600 hover:underline">Connections</Link>} />;

  const error = one(q.error);
  if (error !== undefined) {
    const e = explainFlowFailure(isFlowFailure(error) ? error : "invalid_callback");
    return (
      <>
        {header}
        <FailurePanel {...e} retryHref="/connections/new" />
      </>
    );
  }

  const id = Number(one(q.attempt));
  const view = Number.isInteger(id) && id > 0 ? await resultView(id, user.id) : undefined;
  if (!view) {
    return (
      <>
        {header}
        <FailurePanel {...explainFlowFailure("unknown_state")} retryHref="/connections/new" />
      </>
    );
  }
  const { outcome } = view;
  if (!outcome) {
    return (
      <>
        {header}
        <Alert tone="blue">This authorization has not come back from Zoho yet. Finish it in the Zoho window, or start again.</Alert>
      </>
    );
  }
  if (outcome.status === "failed") {
    const e = outcome.zoho
      ? { title: outcome.zoho.title, message: outcome.zoho.message, advice: outcome.zoho.advice }
      : explainFlowFailure(isFlowFailure(outcome.code) ? outcome.code : "invalid_callback", {
          location: parseLocation(outcome.location),
          consentError: outcome.consentError,
        });
    return (
      <>
        {header}
        <FailurePanel {...e} retryHref={retryHref(view)} />
      </>
    );
  }
  if (!view.connection) {
    return (
      <>
        {header}
        <Alert tone="amber">The connection made by this authorization was deleted since.</Alert>
      </>
    );
  }
  const waiting = unbound(outcome.needsBinding, view.connection.orgBinding);
  return (
    <>
      {header}
      {waiting.length > 0 && (
        <div className="mb-4">
          <Alert tone="amber">
            This connection still needs its organisation.{" "}
            <Link href={`/connections/${view.connection.id}/binding?attempt=${view.attemptId}`} className="font-medium underline">
              Choose it now
            </Link>
            .
          </Alert>
        </div>
      )}
      <ConnectedPanel outcome={outcome} connection={view.connection} />
    </>
  );
}
