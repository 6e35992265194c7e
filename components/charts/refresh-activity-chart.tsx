"use client";
import { lazy, useMemo, useState } from "react";
import { cn } from "@/components/ui/cn";
import { activityBuckets, type RefreshActivityDto } from "@/lib/charts/types";
import { ACTIVITY_RANGES, TRIGGERS, TRIGGER_KEYS, localDayKey, fixedOffsetDayKey, rowsFor, totals, type ActivityRange, type ActivityRow } from "./activity-buckets";
import { ChartFrame } from "./chart-frame";
import { TABLE, dayText, hourText } from "./chart-parts";
import { useMounted, utcText, zoneName } from "@/components/ui/local-time";
import type { LabelledRow as Row } from "./refresh-activity-plot";

// Recharts draws after first paint, in the frame's placeholder: it stays out of the page's first load.
const RefreshActivityPlot = lazy(() => import("./refresh-activity-plot").then((m) => ({ default: m.RefreshActivityPlot })));

function RangeSwitch({ value, onChange }: { value: ActivityRange; onChange: (r: ActivityRange) => void }) {
  return (
    <div role="group" aria-label="Time range" className="inline-flex rounded-md shadow-sm ring-1 ring-inset ring-slate-300">
      {(Object.keys(ACTIVITY_RANGES) as ActivityRange[]).map((r, i) => (
        <button
          key={r}
          type="button"
          aria-pressed={value === r}
          onClick={() => onChange(r)}
          className={cn(
            "px-2.5 py-1 text-xs font-medium focus-visible:relative focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600",
            i > 0 && "border-l border-slate-300",
            i === 0 && "rounded-l-md",
            i === 2 && "rounded-r-md",
            value === r ? "bg-indigo-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50",
          )}
        >
          {ACTIVITY_RANGES[r].label}
        </button>
      ))}
    </div>
  );
}

function ActivityTable({ rows, words, showOther }: { rows: Row[]; words: string; showOther: boolean }) {
  const shown = TRIGGER_KEYS.filter((t) => t !== "other" || showOther);
  return (
    <table className={TABLE.table}>
      <caption className={TABLE.caption}>Token refresh attempts in {words}, by trigger and outcome</caption>
      <thead className={TABLE.head}>
        <tr>
          <th scope="col" className={TABLE.th}>Period</th>
          {shown.map((t) => (
            <th key={t} scope="col" className={cn(TABLE.th, "text-right")}>{TRIGGERS[t].name} ok</th>
          ))}
          <th scope="col" className={cn(TABLE.th, "text-right")}>Failed</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className={TABLE.row}>
            <th scope="row" className={cn(TABLE.td, "font-normal whitespace-nowrap")}>{r.label}</th>
            {shown.map((t) => (
              <td key={t} className={TABLE.num}>{r.ok[t]}</td>
            ))}
            <td className={TABLE.num}>{r.failedTotal}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Refresh attempts per hour or per local day, successes by trigger with failures on top. */
export function RefreshActivityChart({ data }: { data: RefreshActivityDto }) {
  const [range, setRange] = useState<ActivityRange>("7d");
  // The page carries dense hourly series (small in its HTML); the chart groups hourly buckets.
  const buckets = useMemo(() => activityBuckets(data), [data]);
  // Before mount the server and the first client render must agree, so both use UTC.
  const mounted = useMounted();
  const spec = ACTIVITY_RANGES[range];
  const label = (r: ActivityRow) =>
    spec.unit === "hour" ? (mounted ? hourText(r.start) : utcText(r.start).slice(11)) : mounted ? dayText(r.start) : r.key;
  const rows: Row[] = rowsFor(range, buckets, data.generatedAt, mounted ? localDayKey : fixedOffsetDayKey(0)).map((r) => ({ ...r, label: label(r) }));
  const sum = totals(rows);
  const showOther = sum.byTrigger.other > 0;
  const series = TRIGGER_KEYS.filter((t) => t !== "other" || showOther);
  const summary = `Refresh attempts per ${spec.unit} for ${spec.words}: ${sum.ok} succeeded, ${sum.failed} failed`;
  return (
    <ChartFrame
      title="Token refreshes"
      description={`Per ${spec.unit} (${mounted ? zoneName(data.generatedAt) : "UTC"}), successes by trigger, failures on top.`}
      controls={<RangeSwitch value={range} onChange={setRange} />}
      summary={summary}
      empty={sum.ok + sum.failed === 0}
      emptyMessage={`No token refreshes in ${spec.words}. Refreshes appear here as connections renew their access tokens.`}
      table={<ActivityTable rows={rows} words={spec.words} showOther={showOther} />}
      testId="refresh-activity"
    >
      <RefreshActivityPlot rows={rows} range={range} series={series} />
    </ChartFrame>
  );
}
