"use client";
import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { cn } from "@/components/ui/cn";
import type { RefreshTokenHistoryDto } from "@/lib/charts/types";
import { dateTimeText } from "@/components/ui/local-time";
import { AXIS, legendText, GRID_STROKE, Swatch, TooltipBox, timeTick } from "./chart-parts";
import { timeTicks } from "./time-ticks";
import { countAt, countTicks, type HistoryRow } from "./refresh-token-history-rows";

// Recharts' part of the refresh-token history, loaded after first paint (see ChartFrame).

// Red is kept for the cap and evictions.
const COLORS = ["#4f46e5", "#059669", "#0284c7", "#d97706", "#7c3aed", "#0d9488", "#db2777", "#475569"];
const RED = "#dc2626";

type Eviction = RefreshTokenHistoryDto["evictions"][number];

function EvictionDot({ cx, cy, eviction }: { cx?: number; cy?: number; eviction: Eviction }) {
  return (
    <circle cx={cx} cy={cy} r={5} fill={RED} stroke="#fff" strokeWidth={1.5}>
      <title>{`Evicted: ${eviction.connectionName}`}</title>
    </circle>
  );
}

type TooltipExtra = { data: RefreshTokenHistoryDto; colorOf: (zuid: string) => string };

/** Given as an element, so Recharts clones it with `active` and `payload`. */
function HistoryTooltip({ active, payload, data, colorOf }: Partial<TooltipContentProps> & TooltipExtra) {
  const row = payload?.[0]?.payload as HistoryRow | undefined;
  if (!active || !row) return null;
  const evicted = data.evictions.filter((e) => e.at === row.at);
  const users = data.users.filter((u) => row.counts[u.zuid] !== undefined).sort((a, b) => row.counts[b.zuid]! - row.counts[a.zuid]!);
  return (
    <TooltipBox title={dateTimeText(row.at)}>
      <ul>
        {users.map((u) => (
          <li key={u.zuid} className="flex items-center justify-between gap-4">
            <span className="truncate">
              <Swatch color={colorOf(u.zuid)} />
              {u.label}
            </span>
            <span className={cn("tabular-nums", row.counts[u.zuid]! >= data.cap && "font-semibold text-red-700")}>
              {row.counts[u.zuid]} / {data.cap}
            </span>
          </li>
        ))}
      </ul>
      {evicted.map((e, i) => (
        <p key={i} className="mt-1 font-medium text-red-700">
          Evicted: {e.connectionName} <span className="font-normal text-slate-500">({e.label})</span>
        </p>
      ))}
    </TooltipBox>
  );
}

/** One step line per Zoho user against Zoho's cap, with the evictions as red dots. */
export function RefreshTokenHistoryPlot({ data, rows, top }: { data: RefreshTokenHistoryDto; rows: HistoryRow[]; top: number }) {
  const colorOf = (zuid: string) => COLORS[Math.max(0, data.users.findIndex((u) => u.zuid === zuid)) % COLORS.length];
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart accessibilityLayer={false} data={rows} margin={{ top: 12, right: 16, bottom: 0, left: 4 }}>
        <CartesianGrid vertical={false} stroke={GRID_STROKE} />
        <XAxis
          dataKey="at"
          type="number"
          domain={[data.since, data.generatedAt]}
          ticks={timeTicks(data.since, data.generatedAt)}
          tickFormatter={timeTick(data.generatedAt - data.since)}
          tick={AXIS.tick}
          stroke={AXIS.stroke}
        />
        <YAxis
          domain={[0, top]}
          ticks={countTicks(top)}
          allowDecimals={false}
          tick={AXIS.tick}
          stroke={AXIS.stroke}
          width={48}
          label={{ value: "Live refresh tokens", angle: -90, position: "insideLeft", style: { textAnchor: "middle", fontSize: 11, fill: "#475569" } }}
        />
        <Tooltip content={<HistoryTooltip data={data} colorOf={colorOf} />} isAnimationActive={false} />
        <Legend wrapperStyle={{ fontSize: 12 }} iconType="plainline" itemSorter={null} formatter={legendText} />
        <ReferenceLine
          y={data.cap}
          stroke={RED}
          strokeDasharray="6 4"
          label={{ value: `Zoho's cap: ${data.cap}`, position: "insideBottomRight", fontSize: 11, fill: RED }}
        />
        {data.users.map((u) => (
          <Line
            key={u.zuid}
            type="stepAfter"
            dataKey={(r: HistoryRow) => r.counts[u.zuid]}
            name={u.label}
            stroke={colorOf(u.zuid)}
            strokeWidth={2}
            dot={false}
            activeDot={{ r: 3 }}
            isAnimationActive={false}
          />
        ))}
        {data.evictions.map((e, i) => {
          const y = countAt(rows, e.zuid, e.at);
          return y === undefined ? null : <ReferenceDot key={i} x={e.at} y={y} shape={(p) => <EvictionDot cx={p.cx} cy={p.cy} eviction={e} />} />;
        })}
      </LineChart>
    </ResponsiveContainer>
  );
}
