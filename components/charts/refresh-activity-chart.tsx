"use client";
import { useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { cn } from "@/components/ui/cn";
import { activityBuckets, type RefreshActivityDto } from "@/lib/charts/types";
import { ACTIVITY_RANGES, TRIGGER_KEYS, localDayKey, fixedOffsetDayKey, rowsFor, totals, type ActivityRange, type ActivityRow, type TriggerKey } from "./activity-buckets";
import { ChartFrame } from "./chart-frame";
import { AXIS, legendText, GRID_STROKE, Swatch, TABLE, TooltipBox, dayText, hourText } from "./chart-parts";
import { useMounted, utcText, zoneName } from "@/components/ui/local-time";

const TRIGGERS: Record<TriggerKey, { name: string; color: string }> = {
  background: { name: "Background", color: "#047857" },
  manual: { name: "Manual", color: "#0284c7" },
  api: { name: "API", color: "#4338ca" },
  other: { name: "Other", color: "#64748b" },
};
const FAILED = "#dc2626";

type Row = ActivityRow & { label: string };

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

function ActivityTooltip({ active, payload }: TooltipContentProps) {
  const row = payload?.[0]?.payload as Row | undefined;
  if (!active || !row) return null;
  const lines = (counts: ActivityRow["ok"], color: (t: TriggerKey) => string) =>
    TRIGGER_KEYS.filter((t) => counts[t] > 0).map((t) => (
      <li key={t} className="flex items-center justify-between gap-4">
        <span>
          <Swatch color={color(t)} />
          {TRIGGERS[t].name}
        </span>
        <span className="tabular-nums">{counts[t]}</span>
      </li>
    ));
  return (
    <TooltipBox title={row.label}>
      <p className="font-medium text-emerald-800">Succeeded: {row.okTotal}</p>
      <ul className="mb-1 pl-1">{lines(row.ok, (t) => TRIGGERS[t].color)}</ul>
      <p className="font-medium text-red-700">Failed: {row.failedTotal}</p>
      <ul className="pl-1">{lines(row.failed, () => FAILED)}</ul>
    </TooltipBox>
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
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 4 }} barCategoryGap={range === "30d" ? 2 : "20%"}>
          <CartesianGrid vertical={false} stroke={GRID_STROKE} />
          <XAxis dataKey="label" tick={AXIS.tick} stroke={AXIS.stroke} tickLine={false} minTickGap={8} />
          <YAxis
            allowDecimals={false}
            tick={AXIS.tick}
            stroke={AXIS.stroke}
            width={48}
            label={{ value: "Refreshes", angle: -90, position: "insideLeft", style: { textAnchor: "middle", fontSize: 11, fill: "#475569" } }}
          />
          <Tooltip content={ActivityTooltip} cursor={{ fill: "#f1f5f9" }} isAnimationActive={false} />
          <Legend wrapperStyle={{ fontSize: 12 }} iconType="square" iconSize={10} itemSorter={null} formatter={legendText} />
          {series.map((t) => (
            <Bar key={t} dataKey={(r: Row) => r.ok[t]} name={TRIGGERS[t].name} stackId="refreshes" fill={TRIGGERS[t].color} />
          ))}
          <Bar dataKey="failedTotal" name="Failed" stackId="refreshes" fill={FAILED} radius={[2, 2, 0, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
