import type { Metadata } from "next";
import { Cable } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "Connections" };

export default function ConnectionsPage() {
  return (
    <>
      <PageHeader title="Connections" description="Authorized Zoho accounts, bound to their organisations, with live token status." />
      <EmptyState icon={<Cable className="h-8 w-8" aria-hidden />} title="No connections yet">
        A connection is made by authorizing a registered client in Zoho with the scopes a job needs. Each one will show
        its status, organisation, data centre and the time left on its access token here.
      </EmptyState>
    </>
  );
}
