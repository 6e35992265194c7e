import { PageSkeleton, SkeletonBlock, TableSkeleton } from "@/components/ui/skeleton";

export default function AuditLoading() {
  return (
    <PageSkeleton title="Audit" waitingFor="Loading the audit trail…">
      <SkeletonBlock className="mb-4 h-20 w-full" />
      <TableSkeleton rows={10} />
    </PageSkeleton>
  );
}
