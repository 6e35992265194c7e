import { PageSkeleton, SkeletonBlock, TableSkeleton } from "@/components/ui/skeleton";

// In the (list) group so it wraps only the list: an event's page (../[id]) must be able to answer
// 404 for an unknown id, which a loading boundary above it would already have sent as 200.
export default function AuditLoading() {
  return (
    <PageSkeleton title="Audit" waitingFor="Loading the audit trail…">
      <SkeletonBlock className="mb-4 h-20 w-full" />
      <TableSkeleton rows={10} />
    </PageSkeleton>
  );
}
