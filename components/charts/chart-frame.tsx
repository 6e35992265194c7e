"use client";
import { Component, Suspense, useId, type ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { useMounted } from "@/components/ui/local-time";

const CHART_HEIGHT = 260;

/**
 * Holds the chart's place, at its full size, while its drawing code (Recharts, loaded after first
 * paint so it stays out of the page's first-load JavaScript) arrives: nothing moves when it draws.
 */
function ChartPlaceholder() {
  return (
    <div role="status" className="flex h-full animate-pulse items-center justify-center rounded-md bg-slate-100 text-xs text-slate-500" data-chart-placeholder>
      Loading chart…
    </div>
  );
}

/** A chart whose code failed to load leaves its place and its table, not a broken page. */
class ChartFailure extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" className="flex h-full items-center justify-center rounded-md border border-dashed border-slate-200 px-6 text-center text-sm text-slate-500" data-chart-failed>
        The chart could not load. Reload the page to try again; its data is under “Show as table”.
      </div>
    );
  }
}

/**
 * A chart's card: title, description, controls, the chart (drawn after mount), an empty state
 * that says what will fill it, and the same data as a table for screen readers and copying.
 * `children` is the plot: a `lazy` component, so its code loads only once the page has mounted.
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
            // The box keeps the chart's height from the server's HTML on. The chart is one image to
            // assistive tech (Recharts' own keyboard layer is off); its data is in the table below.
            <div style={{ height }} data-chart-box>
              {mounted ? (
                <ChartFailure>
                  <Suspense fallback={<ChartPlaceholder />}>
                    <div role="img" aria-label={summary} className="h-full">
                      {children}
                    </div>
                  </Suspense>
                </ChartFailure>
              ) : (
                <ChartPlaceholder />
              )}
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
