"use client";
import { Bar, BarChart, CartesianGrid, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { cn } from "@/components/ui/cn";
import type { RefreshTokenHistoryDto } from "@/lib/charts/types";
import { dateTimeText } from "@/components/ui/local-time";
import { AXIS, GRID_STROKE, Swatch, TooltipBox } from "./chart-parts";
import { EVICTION_COLOR, countTicks, userColor, type HistoryDayRow } from "./refresh-token-history-rows";

// Recharts' part of the refresh-token history, loaded after first paint (see ChartFrame).

/** A user holding a single token of Zoho's 20 still gets a bar a pointer can find. */
const MIN_BAR_PX = 4;

type TooltipExtra = { data: RefreshTokenHistoryDto };

/** Given as an element, so Recharts clones it with `active` and `payload`; one day, the day under the pointer. */
function HistoryTooltip({ active, payload, data }: Partial<TooltipContentProps> & TooltipExtra) {
  const row = payload?.[0]?.payload as HistoryDayRow | undefined;
  if (!active || !row) return null;
  const users = data.users
    .map((u, i) => ({ ...u, i, n: row.counts[u.zuid] }))
    .filter((u) => u.n !== undefined)
    .sort((a, b) => b.n! - a.n!);
  return (
    <TooltipBox title={row.title}>
      <p className="mb-1 text-slate-500">Most held at once</p>
      <ul>
        {users.map((u) => (
          <li key={u.zuid} className="flex items-center justify-between gap-4">
            <span className="truncate">
              <Swatch color={userColor(u.i)} />
              {u.label}
            </span>
            <span className={cn("tabular-nums", u.n! >= data.cap && "font-semibold text-red-700")}>
              {u.n} / {data.cap}
            </span>
          </li>
        ))}
      </ul>
      {row.evictions.map((e, i) => (
        <p key={i} className="mt-1 font-medium text-red-700">
          ▼ Evicted {dateTimeText(e.at)}: {e.connectionName} <span className="font-normal text-slate-500">({e.label})</span>
        </p>
      ))}
    </TooltipBox>
  );
}

function EvictionMark({ cx, cy, title }: { cx?: number; cy?: number; title: string }) {
  const x = cx ?? 0;
  const y = cy ?? 0;
  return (
    <path d={`M${x - 6},${y - 9} L${x + 6},${y - 9} L${x},${y} Z`} fill={EVICTION_COLOR} stroke="#fff" strokeWidth={1} data-eviction-mark>
      <title>{title}</title>
    </path>
  );
}

/** Per local day, one bar per Zoho user (the most held at once) against Zoho's cap; ▼ marks a day with evictions. */
export function RefreshTokenHistoryPlot({ data, days, top }: { data: RefreshTokenHistoryDto; days: HistoryDayRow[]; top: number }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart accessibilityLayer={false} data={days} margin={{ top: 14, right: 16, bottom: 0, left: 4 }} barCategoryGap="15%" barGap={1}>
        <CartesianGrid vertical={false} stroke={GRID_STROKE} />
        <XAxis dataKey="label" tick={AXIS.tick} stroke={AXIS.stroke} tickLine={false} minTickGap={8} />
        <YAxis
          domain={[0, top]}
          ticks={countTicks(top)}
          allowDecimals={false}
          tick={AXIS.tick}
          stroke={AXIS.stroke}
          width={48}
          label={{ value: "Live refresh tokens", angle: -90, position: "insideLeft", style: { textAnchor: "middle", fontSize: 11, fill: "#475569" } }}
        />
        <Tooltip content={<HistoryTooltip data={data} />} cursor={{ fill: "#f1f5f9" }} isAnimationActive={false} />
        <ReferenceLine y={data.cap} stroke={EVICTION_COLOR} strokeDasharray="6 4" label={{ value: `Zoho's cap: ${data.cap}`, position: "insideTopRight", fontSize: 11, fill: EVICTION_COLOR }} />
        {data.users.map((u, i) => (
          <Bar
            key={u.zuid}
            dataKey={(r: HistoryDayRow) => r.counts[u.zuid] ?? 0}
            name={u.label}
            fill={userColor(i)}
            minPointSize={(value) => (Number(value) > 0 ? MIN_BAR_PX : 0)}
            maxBarSize={28}
            isAnimationActive={false}
          />
        ))}
        {days
          .filter((d) => d.evictions.length > 0)
          .map((d) => (
            <ReferenceDot
              key={d.key}
              x={d.label}
              y={top}
              ifOverflow="extendDomain"
              shape={(p: { cx?: number; cy?: number }) => <EvictionMark cx={p.cx} cy={p.cy} title={`${d.evictions.length} eviction${d.evictions.length === 1 ? "" : "s"} on ${d.title}`} />}
            />
          ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
