import type { Metadata } from "next";
import Link from "next/link";
import { KeyRound } from "lucide-react";
import { SelfClientForm } from "@/components/authorization/self-client-form";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/session";
import { selfClients } from "@/lib/authorization/queries";
import { parseScopeString } from "@/lib/zoho";

export const metadata: Metadata = { title: "Exchange a self-client code" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SelfClientPage({ searchParams }: { searchParams: Search }) {
  const user = await requirePermission("connections:connect");
  const clients = await selfClients();
  const q = await searchParams;
  const clientRef = Number(one(q.client));
  return (
    <>
      <PageHeader
        title="Exchange a self-client code"
        description={
          <>
            <Link href="/connections" className="text-indigo-600 hover:underline">Connections</Link> / For back-end jobs without a
            redirect URI: paste a code generated in Zoho&apos;s API console and the console turns it into a connection.
          </>
        }
      />
      {clients.length === 0 ? (
        <EmptyState
          icon={<KeyRound className="h-8 w-8" aria-hidden />}
          title="No self client registered"
          action={user.role === "admin" ? <Link href="/clients/new" className={buttonClass()}>Register a self client</Link> : undefined}
        >
          Register the self client from Zoho&apos;s API console first (client type “Self client”).
        </EmptyState>
      ) : (
        <SelfClientForm
          clients={clients}
          defaults={{
            clientRef: clients.some((c) => c.id === clientRef) ? clientRef : undefined,
            scopes: parseScopeString(one(q.scopes) ?? "").scopes,
            name: one(q.name)?.slice(0, 80),
          }}
        />
      )}
    </>
  );
}
