import { PageSkeleton, SkeletonBlock } from "@/components/ui/skeleton";

export default function BindingLoading() {
  return (
    <PageSkeleton title="Choose the organisation" waitingFor="Asking Zoho which organisations this connection can reach…">
      <div className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <SkeletonBlock className="h-5 w-48" />
        <SkeletonBlock className="h-10 w-full" />
        <SkeletonBlock className="h-10 w-full" />
        <SkeletonBlock className="h-9 w-32" />
      </div>
    </PageSkeleton>
  );
}
