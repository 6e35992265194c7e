import type { Metadata } from "next";
import { ScrollText } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "Audit" };

export default function AuditPage() {
  return (
    <>
      <PageHeader title="Audit" description="Every sign-in, change and token event, append-only." />
      <EmptyState icon={<ScrollText className="h-8 w-8" aria-hidden />} title="The audit trail view is on its way">
        Every mutation is already recorded. This page will list the events with filters, charts and CSV export.
      </EmptyState>
    </>
  );
}
