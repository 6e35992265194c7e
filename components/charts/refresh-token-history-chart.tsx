"use client";
import { lazy, useState } from "react";
import { cn } from "@/components/ui/cn";
import type { RefreshTokenHistoryDto } from "@/lib/charts/types";
import { ChartFrame } from "./chart-frame";
import { Swatch, TABLE, dayText, periodTitle, plural } from "./chart-parts";
import { LocalDateTime, useMounted, zoneName } from "@/components/ui/local-time";
import { ACTIVITY_RANGES, browserOffset, fixedOffset } from "./activity-buckets";
import { EVICTION_COLOR, HISTORY_RANGES, dailyHistory, historyRows, userColor, userStats, type HistoryDayRow, type HistoryRange, type UserStats } from "./refresh-token-history-rows";

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

function HistoryRangeSwitch({ value, onChange }: { value: HistoryRange; onChange: (r: HistoryRange) => void }) {
  return (
    <div role="group" aria-label="Time range" className="inline-flex rounded-md shadow-sm ring-1 ring-inset ring-slate-300">
      {HISTORY_RANGES.map((r, i) => (
        <button
          key={r}
          type="button"
          aria-pressed={value === r}
          onClick={() => onChange(r)}
          className={cn(
            "px-2.5 py-1 text-xs font-medium focus-visible:relative focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600",
            i > 0 && "border-l border-slate-300",
            i === 0 && "rounded-l-md",
            i === HISTORY_RANGES.length - 1 && "rounded-r-md",
            value === r ? "bg-indigo-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50",
          )}
        >
          {ACTIVITY_RANGES[r].label}
        </button>
      ))}
    </div>
  );
}

/** The legend, in the page (not the lazy plot): each user, Zoho's cap and the eviction marker. */
function HistoryLegend({ users, cap, evictions }: { users: RefreshTokenHistoryDto["users"]; cap: number; evictions: number }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1" aria-label="Legend" data-testid="refresh-token-history-legend">
      {users.map((u, i) => (
        <li key={u.zuid}>
          <Swatch color={userColor(i)} />
          {u.label}
        </li>
      ))}
      <li>
        <span aria-hidden className="mr-1.5 inline-block w-4 border-t-2 border-dashed align-middle" style={{ borderColor: EVICTION_COLOR }} />
        Zoho&apos;s cap ({cap})
      </li>
      <li>
        <span aria-hidden className="mr-1.5 font-bold" style={{ color: EVICTION_COLOR }}>▼</span>
        Eviction{evictions ? ` (${evictions} in the window)` : " (none in the window)"}
      </li>
    </ul>
  );
}

/** The most refresh tokens each Zoho user of a client held per local day, against Zoho's cap. */
export function RefreshTokenHistoryChart({ data }: { data: RefreshTokenHistoryDto }) {
  const [range, setRange] = useState<HistoryRange>("30d");
  const mounted = useMounted();
  const rows = historyRows(data);
  const stats = userStats(data, rows);
  const days: HistoryDayRow[] = dailyHistory(data, range, mounted ? browserOffset : fixedOffset(0)).map((d) => ({
    ...d,
    label: mounted ? dayText(d.start) : d.key,
    title: mounted ? periodTitle(d.start, d.end, "day") : d.key,
  }));
  const shownEvictions = days.reduce((n, d) => n + d.evictions.length, 0);
  const top = Math.max(data.cap, ...stats.map((s) => s.max)) + 1;
  const fullest = [...stats].sort((a, b) => b.now - a.now)[0];
  const summary =
    `Most live refresh tokens per day of ${plural(stats.length, "Zoho user")} over ${ACTIVITY_RANGES[range].words}, against Zoho's cap of ${data.cap}` +
    (fullest ? `: the most now is ${fullest.now}, held by ${fullest.label}` : "") +
    `; ${plural(shownEvictions, "eviction")} in the range`;
  return (
    <ChartFrame
      title="Refresh tokens per Zoho user"
      description={`The most each user held at once per day (${mounted ? zoneName(data.generatedAt) : "UTC"}). Zoho keeps at most ${data.cap} refresh tokens per user and client; one more evicts the oldest.`}
      controls={<HistoryRangeSwitch value={range} onChange={setRange} />}
      summary={summary}
      empty={data.users.length === 0}
      emptyMessage="No refresh tokens held through this client yet."
      note={<HistoryLegend users={data.users} cap={data.cap} evictions={shownEvictions} />}
      table={<HistoryTable stats={stats} evictions={data.evictions} cap={data.cap} />}
      testId="refresh-token-history"
    >
      <RefreshTokenHistoryPlot data={data} days={days} top={top} />
    </ChartFrame>
  );
}
