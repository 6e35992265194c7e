import { Loader2 } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "./cn";

export function SkeletonBlock({ className }: { className?: string }) {
  return <div aria-hidden className={cn("animate-pulse rounded-md bg-slate-200", className)} />;
}

/**
 * What a page shows while it waits on Zoho or a heavy query: its title, a sentence saying what
 * it is waiting for (announced to screen readers), and grey blocks where the content will be.
 */
export function PageSkeleton({ title, waitingFor, children }: { title: string; waitingFor: string; children?: ReactNode }) {
  return (
    <div aria-busy="true" data-testid="page-loading">
      <div className="mb-6">
        <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
        <p role="status" className="mt-1 flex items-center gap-2 text-sm text-slate-600">
          <Loader2 className="h-4 w-4 animate-spin" aria-hidden />
          {waitingFor}
        </p>
      </div>
      {children ?? (
        <div className="space-y-4">
          <SkeletonBlock className="h-24 w-full" />
          <SkeletonBlock className="h-64 w-full" />
        </div>
      )}
    </div>
  );
}

export function TableSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div className="space-y-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <SkeletonBlock className="h-5 w-1/3" />
      {Array.from({ length: rows }, (_, i) => (
        <SkeletonBlock key={i} className="h-8 w-full" />
      ))}
    </div>
  );
}
