"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { FAILED_COLOR, TRIGGERS, TRIGGER_KEYS, type ActivityRange, type ActivityRow, type TriggerKey } from "./activity-buckets";
import { AXIS, GRID_STROKE, Swatch, TooltipBox, legendText } from "./chart-parts";

// Recharts' part of the refresh-activity chart, loaded after first paint (see ChartFrame).

export type LabelledRow = ActivityRow & { label: string };

function ActivityTooltip({ active, payload }: TooltipContentProps) {
  const row = payload?.[0]?.payload as LabelledRow | undefined;
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
      <ul className="pl-1">{lines(row.failed, () => FAILED_COLOR)}</ul>
    </TooltipBox>
  );
}

/** Successes stacked by trigger, failures on top. */
export function RefreshActivityPlot({ rows, range, series }: { rows: LabelledRow[]; range: ActivityRange; series: TriggerKey[] }) {
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
        <Tooltip content={ActivityTooltip} cursor={{ fill: "#f1f5f9" }} isAnimationActive={false} />
        <Legend wrapperStyle={{ fontSize: 12 }} iconType="square" iconSize={10} itemSorter={null} formatter={legendText} />
        {series.map((t) => (
          <Bar key={t} dataKey={(r: LabelledRow) => r.ok[t]} name={TRIGGERS[t].name} stackId="refreshes" fill={TRIGGERS[t].color} />
        ))}
        <Bar dataKey="failedTotal" name="Failed" stackId="refreshes" fill={FAILED_COLOR} radius={[2, 2, 0, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}
