import type { Metadata } from "next";
import { LayoutDashboard } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" description="The health of every Zoho connection at a glance." />
      <EmptyState icon={<LayoutDashboard className="h-8 w-8" aria-hidden />} title="No connections to watch yet">
        Once connections exist, this page counts them by status, lists the ones that need attention, shows what expires in
        the next hour and how much of each Zoho user&apos;s refresh-token budget is used.
      </EmptyState>
    </>
  );
}
