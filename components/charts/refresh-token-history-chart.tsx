"use client";
import { lazy } from "react";
import { cn } from "@/components/ui/cn";
import type { RefreshTokenHistoryDto } from "@/lib/charts/types";
import { ChartFrame } from "./chart-frame";
import { TABLE, plural } from "./chart-parts";
import { LocalDateTime } from "@/components/ui/local-time";
import { historyRows, userStats, type UserStats } from "./refresh-token-history-rows";

// Recharts draws after first paint, in the frame's placeholder: it stays out of the page's first load.
const RefreshTokenHistoryPlot = lazy(() => import("./refresh-token-history-plot").then((m) => ({ default: m.RefreshTokenHistoryPlot })));

type Eviction = RefreshTokenHistoryDto["evictions"][number];

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
      <RefreshTokenHistoryPlot data={data} rows={rows} top={top} />
    </ChartFrame>
  );
}
