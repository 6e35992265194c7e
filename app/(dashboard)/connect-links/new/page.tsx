import type { Metadata } from "next";
import Link from "next/link";
import { ShareForm } from "@/components/connect-links/share-form";
import { PageHeader } from "@/components/ui/card";
import { NoServerClient } from "@/components/authorization/no-server-client";
import { requirePermission } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { consentClients } from "@/lib/authorization/queries";

export const metadata: Metadata = { title: "Share a connect link" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function ShareConnectLinkPage({ searchParams }: { searchParams: Search }) {
  const user = await requirePermission("connections:connect");
  const clients = await consentClients();
  const wanted = Number((await searchParams).client);
  const defaultClientRef = clients.some((c) => c.id === wanted) ? wanted : undefined;
  return (
    <>
      <PageHeader
        title="Share a connect link"
        description={
          <>
            <Link href="/connect-links" className="text-indigo-600 hover:underline">Connect links</Link> / A link for the owner of a
            Zoho account who has no console account: they open it, see what it asks for, and approve at Zoho. Their consent makes the
            connection here.
          </>
        }
      />
      {clients.length === 0 ? (
        <NoServerClient role={user.role}>A connect link authorizes a registered server-based Zoho client (self clients have no consent page).</NoServerClient>
      ) : (
        <ShareForm clients={clients} smtpConfigured={Boolean(config().SMTP_URL)} defaultClientRef={defaultClientRef} />
      )}
    </>
  );
}
