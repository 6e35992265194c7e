"use client";
import { useId, type ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { useMounted } from "@/components/ui/local-time";

const CHART_HEIGHT = 260;

/** Holds the chart's place until mount, at the chart's height, so nothing shifts when it draws. */
function ChartSkeleton({ height }: { height: number }) {
  return <div aria-hidden className="animate-pulse rounded-md bg-slate-100" style={{ height }} data-chart-skeleton />;
}

/**
 * A chart's card: title, description, controls, the chart (drawn after mount), an empty state
 * that says what will fill it, and the same data as a table for screen readers and copying.
 */
export function ChartFrame({
  title,
  description,
  controls,
  summary,
  empty = false,
  emptyMessage,
  height = CHART_HEIGHT,
  note,
  table,
  testId,
  children,
}: {
  title: string;
  description?: ReactNode;
  controls?: ReactNode;
  /** One sentence that says what the chart shows, for the chart's aria-label. */
  summary: string;
  empty?: boolean;
  emptyMessage: ReactNode;
  height?: number;
  note?: ReactNode;
  /** The data behind the chart, as a `<table>` with a caption. */
  table?: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  const titleId = useId();
  const mounted = useMounted();
  return (
    <Card>
      <figure aria-labelledby={titleId} data-testid={testId}>
        <div className="flex flex-wrap items-start justify-between gap-3 px-5 pt-4 pb-2">
          <div className="min-w-0">
            <h2 id={titleId} className="text-sm font-semibold text-slate-900">
              {title}
            </h2>
            {description && <p className="mt-0.5 text-xs text-slate-500">{description}</p>}
          </div>
          {controls}
        </div>
        <div className="px-3 pb-3 sm:px-5">
          {empty ? (
            <div
              className="flex items-center justify-center rounded-md border border-dashed border-slate-200 px-6 text-center text-sm text-slate-500"
              style={{ height: Math.min(height, CHART_HEIGHT) }}
              data-chart-empty
            >
              <p className="max-w-md">{emptyMessage}</p>
            </div>
          ) : (
            // The chart is one image to assistive tech (Recharts' own keyboard layer is off);
            // its data is in the table below.
            <div role="img" aria-label={summary} style={{ height }}>
              {mounted ? children : <ChartSkeleton height={height} />}
            </div>
          )}
          {note && <div className="mt-2 text-xs text-slate-500">{note}</div>}
        </div>
        {!empty && table && (
          <details className="border-t border-slate-100 px-5 py-3 text-sm">
            <summary className="cursor-pointer text-indigo-600 hover:underline">Show as table</summary>
            <div className="mt-3 overflow-x-auto">{table}</div>
          </details>
        )}
      </figure>
    </Card>
  );
}
