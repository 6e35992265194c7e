"use client";
import { lazy, useMemo } from "react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { ACTIVITY_RANGE_KEYS, FAILURE_KINDS, activityBuckets, type ActivityRange, type RefreshActivityDto } from "@/lib/charts/types";
import { ACTIVITY_RANGES, FAILURES, TRIGGERS, TRIGGER_KEYS, activityRows, browserOffset, fixedOffset, totals, type ActivityRow } from "./activity-buckets";
import { periodAuditHref } from "./activity-links";
import { ChartFrame } from "./chart-frame";
import { TABLE, dayText, hourText, periodTitle } from "./chart-parts";
import { useMounted, utcText, zoneName } from "@/components/ui/local-time";
import type { ActivitySeriesKey, LabelledRow as Row } from "./refresh-activity-plot";

// Recharts draws after first paint, in the frame's placeholder: it stays out of the page's first load.
const RefreshActivityPlot = lazy(() => import("./refresh-activity-plot").then((m) => ({ default: m.RefreshActivityPlot })));

/** The range is a link (`?range=7d`, other parameters kept): shareable, and Back returns to the last one. */
function RangeSwitch({ value }: { value: ActivityRange }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const hrefOf = (r: ActivityRange) => {
    const next = new URLSearchParams(params.toString());
    next.set("range", r);
    return `${pathname}?${next}`;
  };
  return (
    <nav aria-label="Time range" className="inline-flex rounded-md shadow-sm ring-1 ring-inset ring-slate-300">
      {ACTIVITY_RANGE_KEYS.map((r, i) => (
        <Link
          key={r}
          href={hrefOf(r)}
          scroll={false}
          aria-current={value === r ? "true" : undefined}
          className={cn(
            "px-2.5 py-1 text-xs font-medium focus-visible:relative focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600",
            i > 0 && "border-l border-slate-300",
            i === 0 && "rounded-l-md",
            i === ACTIVITY_RANGE_KEYS.length - 1 && "rounded-r-md",
            value === r ? "bg-indigo-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50",
          )}
        >
          {ACTIVITY_RANGES[r].label}
        </Link>
      ))}
    </nav>
  );
}

function ActivityTable({ rows, words, series }: { rows: Row[]; words: string; series: ActivitySeriesKey[] }) {
  return (
    <table className={TABLE.table} data-testid="refresh-activity-table">
      <caption className={TABLE.caption}>
        Token refresh attempts in {words}: successes by trigger, failures by kind. A period or its failures open those events in the audit
        trail.
      </caption>
      <thead className={TABLE.head}>
        <tr>
          <th scope="col" className={TABLE.th}>Period</th>
          {series.map((s) => (
            <th key={s.id} scope="col" className={cn(TABLE.th, "text-right")}>{s.name}</th>
          ))}
          <th scope="col" className={cn(TABLE.th, "text-right")}>Failed</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className={TABLE.row}>
            <th scope="row" className={cn(TABLE.td, "font-normal whitespace-nowrap")}>
              <Link href={periodAuditHref(r)} className="text-indigo-700 hover:underline" title={r.title}>
                {r.label}
              </Link>
            </th>
            {series.map((s) => (
              <td key={s.id} className={TABLE.num}>{s.value(r)}</td>
            ))}
            <td className={TABLE.num}>
              {r.failedTotal > 0 ? (
                <Link href={periodAuditHref(r, "failure")} className="text-red-700 hover:underline" aria-label={`${r.failedTotal} failed in ${r.title}`}>
                  {r.failedTotal}
                </Link>
              ) : (
                0
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Refresh attempts per local hour or day: successes by trigger, failures by kind on top; a bar opens its events. */
export function RefreshActivityChart({ data }: { data: RefreshActivityDto }) {
  const range = data.range;
  const spec = ACTIVITY_RANGES[range];
  const buckets = useMemo(() => activityBuckets(data), [data]);
  // Before mount the server and the first client render must agree, so both use UTC.
  const mounted = useMounted();
  const rows: Row[] = activityRows(range, buckets, data.generatedAt, mounted ? browserOffset : fixedOffset(0)).map((r: ActivityRow) => ({
    ...r,
    label: spec.unit === "hour" ? (mounted ? hourText(r.start) : utcText(r.start).slice(11)) : mounted ? dayText(r.start) : r.key,
    title: mounted ? periodTitle(r.start, r.end, spec.unit) : `${utcText(r.start)} – ${utcText(r.end)}`,
  }));
  const sum = totals(rows);
  // Only the series that have anything in the range: an empty legend entry answers nothing.
  const series: ActivitySeriesKey[] = [
    ...TRIGGER_KEYS.filter((t) => t !== "other" || sum.byTrigger.other > 0).map((t) => ({
      id: `ok-${t}`,
      outcome: "success" as const,
      name: TRIGGERS[t].name,
      color: TRIGGERS[t].color,
      value: (r: ActivityRow) => r.ok[t],
    })),
    ...FAILURE_KINDS.filter((k) => sum.byKind[k] > 0).map((k) => ({
      id: `failed-${k}`,
      outcome: "failure" as const,
      name: FAILURES[k].name,
      color: FAILURES[k].color,
      value: (r: ActivityRow) => r.failed[k],
    })),
  ];
  const kinds = FAILURE_KINDS.filter((k) => sum.byKind[k] > 0).map((k) => `${sum.byKind[k]} ${FAILURES[k].name.toLowerCase()}`);
  const summary =
    `Refresh attempts per ${spec.unit} for ${spec.words}: ${sum.ok} succeeded, ${sum.failed} failed` + (kinds.length ? ` (${kinds.join(", ")})` : "");
  const zone = mounted ? zoneName(data.generatedAt) : "UTC";
  return (
    <ChartFrame
      title="Token refreshes"
      description={`Per ${spec.unit} (${zone}), successes by trigger, failures by kind on top.`}
      controls={<RangeSwitch value={range} />}
      summary={summary}
      empty={sum.ok + sum.failed === 0}
      emptyMessage={`No token refreshes in ${spec.words}. Refreshes appear here as connections renew their access tokens.`}
      note={<p>Select a bar to open its refreshes in the audit trail (a keyboard can use the periods under “Show as table”).</p>}
      table={<ActivityTable rows={rows} words={spec.words} series={series} />}
      testId="refresh-activity"
    >
      <RefreshActivityPlot rows={rows} range={range} series={series} />
    </ChartFrame>
  );
}
