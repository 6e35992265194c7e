import type { Metadata } from "next";
import { ListChecks } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "Scopes" };

export default function ScopesPage() {
  return (
    <>
      <PageHeader title="Scopes" description="Which Zoho scope each Desk, Assist and SalesIQ API call needs." />
      <EmptyState icon={<ListChecks className="h-8 w-8" aria-hidden />} title="The scope catalogue is on its way">
        This page will let you search Zoho&apos;s scopes by service, operation or API call, so you can pick the narrowest
        scope a job needs.
      </EmptyState>
    </>
  );
}
