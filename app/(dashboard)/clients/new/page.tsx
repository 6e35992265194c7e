import type { Metadata } from "next";
import Link from "next/link";
import { ClientForm } from "@/components/clients/client-form";
import { PageHeader } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/session";
import { availableRealms, redirectUri } from "@/lib/realm";
import { createClientAction } from "../actions";

export const metadata: Metadata = { title: "New client" };

export default async function NewClientPage() {
  await requirePermission("clients:manage");
  return (
    <>
      <PageHeader
        title="Register a Zoho client"
        description={
          <>
            <Link href="/clients" className="text-indigo-600 hover:underline">Clients</Link> / Copy the details of a client created in Zoho&apos;s API console.
          </>
        }
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <ClientForm action={createClientAction} realms={availableRealms()} redirectUri={redirectUri()} />
      </div>
    </>
  );
}
