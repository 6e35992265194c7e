"use client";
import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { cn } from "@/components/ui/cn";
import type { RefreshTokenHistoryDto } from "@/lib/charts/types";
import { ChartFrame } from "./chart-frame";
import { AXIS, legendText, GRID_STROKE, Swatch, TABLE, TooltipBox, plural, timeTick } from "./chart-parts";
import { LocalDateTime, dateTimeText } from "@/components/ui/local-time";
import { timeTicks } from "./time-ticks";
import { countAt, countTicks, historyRows, userStats, type HistoryRow, type UserStats } from "./refresh-token-history-rows";

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

function HistoryTable({ stats, evictions, cap }: { stats: UserStats[]; evictions: Eviction[]; cap: number }) {
  return (
    <div className="space-y-5">
      <table className={TABLE.table}>
        <caption className={TABLE.caption}>Live refresh tokens per Zoho user (Zoho&apos;s cap: {cap})</caption>
        <thead className={TABLE.head}>
          <tr>
            <th scope="col" className={TABLE.th}>Zoho user</th>
            <th scope="col" className={cn(TABLE.th, "text-right")}>Live now</th>
            <th scope="col" className={cn(TABLE.th, "text-right")}>Most in the window</th>
          </tr>
        </thead>
        <tbody>
          {stats.map((s) => (
            <tr key={s.zuid} className={TABLE.row}>
              <th scope="row" className={cn(TABLE.td, "font-normal")}>{s.label}</th>
              <td className={TABLE.num}>{s.now}</td>
              <td className={TABLE.num}>{s.max}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className={TABLE.table}>
        <caption className={TABLE.caption}>Evictions in the window</caption>
        <thead className={TABLE.head}>
          <tr>
            <th scope="col" className={TABLE.th}>Time</th>
            <th scope="col" className={TABLE.th}>Zoho user</th>
            <th scope="col" className={TABLE.th}>Evicted connection</th>
          </tr>
        </thead>
        <tbody>
          {evictions.map((e, i) => (
            <tr key={i} className={TABLE.row}>
              <td className={TABLE.td}><LocalDateTime ms={e.at} /></td>
              <td className={TABLE.td}>{e.label}</td>
              <td className={TABLE.td}>{e.connectionName}</td>
            </tr>
          ))}
          {evictions.length === 0 && (
            <tr className={TABLE.row}>
              <td colSpan={3} className={cn(TABLE.td, "text-slate-500")}>No refresh token was evicted in this window.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Live refresh tokens per Zoho user of a client over time, against Zoho's cap. */
export function RefreshTokenHistoryChart({ data }: { data: RefreshTokenHistoryDto }) {
  const rows = historyRows(data);
  const stats = userStats(data, rows);
  const colorOf = (zuid: string) => COLORS[Math.max(0, data.users.findIndex((u) => u.zuid === zuid)) % COLORS.length];
  const top = Math.max(data.cap, ...stats.map((s) => s.max)) + 1;
  const fullest = [...stats].sort((a, b) => b.now - a.now)[0];
  const summary =
    `Live refresh tokens of ${plural(stats.length, "Zoho user")} against Zoho's cap of ${data.cap}` +
    (fullest ? `: the most now is ${fullest.now}, held by ${fullest.label}` : "") +
    `; ${plural(data.evictions.length, "eviction")} in the window`;
  return (
    <ChartFrame
      title="Refresh tokens per Zoho user"
      description={`Zoho keeps at most ${data.cap} refresh tokens per user and client; one more evicts the oldest.`}
      summary={summary}
      empty={data.users.length === 0}
      emptyMessage="No refresh tokens held through this client yet."
      table={<HistoryTable stats={stats} evictions={data.evictions} cap={data.cap} />}
      testId="refresh-token-history"
    >
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
    </ChartFrame>
  );
}
