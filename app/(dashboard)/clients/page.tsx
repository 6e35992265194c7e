import type { Metadata } from "next";
import { KeyRound } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "Clients" };

export default function ClientsPage() {
  return (
    <>
      <PageHeader title="Clients" description="The OAuth clients registered in Zoho's API console, with their data centres." />
      <EmptyState icon={<KeyRound className="h-8 w-8" aria-hidden />} title="No Zoho clients registered">
        Admins will register each Zoho client here: its client id, its secret (stored encrypted, never shown again), its
        home data centre and the redirect URI to paste into Zoho&apos;s API console.
      </EmptyState>
    </>
  );
}
