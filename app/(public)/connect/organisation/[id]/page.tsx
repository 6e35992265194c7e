import type { Metadata } from "next";
import { cookies } from "next/headers";
import { BindingForm } from "@/components/authorization/binding-form";
import { Alert, Card } from "@/components/ui/card";
import { linkNonceCookie } from "@/lib/connect-links/consent";
import { ownerConnection, ownerDiscovery } from "@/lib/connect-links/organisation";
import { saveOwnerBindingAction } from "./actions";

export const metadata: Metadata = { title: "Choose the organisation" };

/**
 * The organisation step of a connect link: the Desk organisation, SalesIQ portal or Assist
 * department of the one connection this browser's consent made, fetched from Zoho with its token.
 * Shown only to the browser holding the nonce of the completing attempt; no link into the console.
 */
export default async function LinkOrganisationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const linkId = /^\d{1,12}$/.test(id) ? Number(id) : NaN;
  const jar = await cookies();
  const owner = await ownerConnection(linkId, Number.isNaN(linkId) ? undefined : jar.get(linkNonceCookie(linkId))?.value);
  const ask = owner.requestedBy ? `Ask ${owner.requestedBy}, who sent you the link,` : "Ask the person who sent you the link";
  if (!owner.ok) {
    return (
      <Card className="p-6">
        <h1 className="text-lg font-semibold text-slate-900">
          {owner.reason === "closed" ? "The time to choose has passed" : "Nothing to show in this browser"}
        </h1>
        <p className="mt-2 text-sm text-slate-600">
          {owner.reason === "closed"
            ? `Access was granted, but the organisation can now only be chosen in the console. ${ask} to choose it.`
            : "This page is shown only in the browser that completed the authorization on the link. If you did, open it in that browser."}
        </p>
      </Card>
    );
  }
  const load = await ownerDiscovery(owner);
  return (
    <>
      <Card className="mb-4 p-6">
        <h1 className="text-lg font-semibold text-slate-900">Access granted — one more step</h1>
        <p className="mt-2 text-sm text-slate-600">
          Your Zoho account has several organisations. Choose the one this access is for: every call made with it goes to the
          organisation chosen here. The options were just fetched from Zoho with the access you granted.
        </p>
      </Card>
      {load.ok ? (
        <BindingForm save={saveOwnerBindingAction} fields={{ linkId }} options={load.options} binding={load.connection.binding} />
      ) : (
        <Alert tone="amber">
          {load.message} {ask} to finish it in the console.
        </Alert>
      )}
    </>
  );
}
