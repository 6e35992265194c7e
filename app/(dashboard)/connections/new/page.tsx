import type { Metadata } from "next";
import Link from "next/link";
import { ConnectWizard } from "@/components/authorization/connect-wizard";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { NoServerClient } from "@/components/authorization/no-server-client";
import { requirePermission } from "@/lib/auth/session";
import { consentClients } from "@/lib/authorization/queries";
import { parseScopeString } from "@/lib/zoho";

export const metadata: Metadata = { title: "New connection" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function NewConnectionPage({ searchParams }: { searchParams: Search }) {
  const user = await requirePermission("connections:connect");
  const clients = await consentClients();
  const q = await searchParams;
  // Links from elsewhere (scope catalogue, "start again") may preselect the form.
  const clientRef = Number(one(q.client));
  const access = one(q.access);
  const defaults = {
    clientRef: clients.some((c) => c.id === clientRef) ? clientRef : undefined,
    scopes: parseScopeString(one(q.scopes) ?? "").scopes,
    name: one(q.name)?.slice(0, 80),
    accessType: access === "online" || access === "offline" ? access : undefined,
  } as const;
  return (
    <>
      <PageHeader
        title="New connection"
        description={
          <>
            <Link href="/connections" className="text-indigo-600 hover:underline">Connections</Link> / Authorize a Zoho account
            for a job, with exactly the scopes it needs.
          </>
        }
        actions={
          <Link href="/connections/self-client" className={buttonClass("secondary")}>
            Exchange a self-client code
          </Link>
        }
      />
      {clients.length === 0 ? (
        <NoServerClient role={user.role}>A connection authorizes a registered Zoho client.</NoServerClient>
      ) : (
        <ConnectWizard clients={clients} defaults={defaults} />
      )}
    </>
  );
}
