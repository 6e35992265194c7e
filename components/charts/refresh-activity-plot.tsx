"use client";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis, type BarRectangleItem, type TooltipContentProps } from "recharts";
import type { ActivityRange } from "@/lib/charts/types";
import type { ActivityRow } from "./activity-buckets";
import { periodAuditHref } from "./activity-links";
import { AXIS, GRID_STROKE, Swatch, TooltipBox, legendText } from "./chart-parts";

// Recharts' part of the refresh-activity chart, loaded after first paint (see ChartFrame).

export type LabelledRow = ActivityRow & { label: string; title: string };

/** One stacked series: a trigger's successes or a kind's failures. */
export interface ActivitySeriesKey {
  id: string;
  outcome: "success" | "failure";
  name: string;
  color: string;
  value: (r: ActivityRow) => number;
}

function ActivityTooltip({ active, payload, series }: Partial<TooltipContentProps> & { series: ActivitySeriesKey[] }) {
  const row = payload?.[0]?.payload as LabelledRow | undefined;
  if (!active || !row) return null;
  const lines = (outcome: ActivitySeriesKey["outcome"]) =>
    series
      .filter((s) => s.outcome === outcome && s.value(row) > 0)
      .map((s) => (
        <li key={s.id} className="flex items-center justify-between gap-4">
          <span>
            <Swatch color={s.color} />
            {s.name}
          </span>
          <span className="tabular-nums">{s.value(row)}</span>
        </li>
      ));
  return (
    <TooltipBox title={row.title}>
      <p className="font-medium text-emerald-800">Succeeded: {row.okTotal}</p>
      <ul className="mb-1 pl-1">{lines("success")}</ul>
      <p className="font-medium text-red-700">Failed: {row.failedTotal}</p>
      <ul className="pl-1">{lines("failure")}</ul>
      <p className="mt-1 text-slate-500">Click to open these in the audit trail.</p>
    </TooltipBox>
  );
}

/** Successes stacked by trigger, failures by kind on top; a bar opens its period's audit rows. */
export function RefreshActivityPlot({ rows, range, series }: { rows: LabelledRow[]; range: ActivityRange; series: ActivitySeriesKey[] }) {
  const router = useRouter();
  const open = (outcome: ActivitySeriesKey["outcome"]) => (item: BarRectangleItem) => {
    const row = item.payload as LabelledRow | undefined;
    if (row) router.push(periodAuditHref(row, outcome));
  };
  const last = series.at(-1)?.id;
  return (
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
        <Tooltip content={<ActivityTooltip series={series} />} cursor={{ fill: "#f1f5f9" }} isAnimationActive={false} />
        <Legend wrapperStyle={{ fontSize: 12 }} iconType="square" iconSize={10} itemSorter={null} formatter={legendText} />
        {series.map((s) => (
          <Bar
            key={s.id}
            dataKey={s.value}
            name={s.name}
            stackId="refreshes"
            fill={s.color}
            radius={s.id === last ? [2, 2, 0, 0] : undefined}
            onClick={open(s.outcome)}
            cursor="pointer"
            isAnimationActive={false}
            className={`refresh-bars-${s.outcome}`}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
