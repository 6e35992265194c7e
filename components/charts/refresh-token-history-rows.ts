import type { RefreshTokenHistoryDto } from "@/lib/charts/types";
import { periodsFor, type OffsetOf } from "./activity-buckets";

// Step rows for the refresh-token chart: every instant where a count changes or an eviction
// happened, counts carried forward, and a last row at `generatedAt` so each line runs to now.

export interface HistoryRow {
  at: number;
  /** Undefined before a user's first point: no line is drawn there. */
  counts: Record<string, number | undefined>;
}

export interface UserStats {
  zuid: string;
  label: string;
  now: number;
  max: number;
}

export function historyRows(data: RefreshTokenHistoryDto): HistoryRow[] {
  const points = [...data.points].sort((a, b) => a.at - b.at);
  const times = [...new Set([...points.map((p) => p.at), ...data.evictions.map((e) => e.at), data.generatedAt])]
    .filter((t) => t >= data.since && t <= data.generatedAt)
    .sort((a, b) => a - b);
  const rows: HistoryRow[] = [];
  const counts: Record<string, number | undefined> = {};
  let next = 0;
  for (const at of times) {
    while (next < points.length && points[next].at <= at) Object.assign(counts, points[next++].counts);
    rows.push({ at, counts: { ...counts } });
  }
  return rows;
}

export function userStats(data: RefreshTokenHistoryDto, rows: HistoryRow[]): UserStats[] {
  return data.users.map(({ zuid, label }) => {
    const values = rows.map((r) => r.counts[zuid]).filter((v): v is number => v !== undefined);
    return { zuid, label, now: values.at(-1) ?? 0, max: Math.max(0, ...values) };
  });
}

/** The count a user held at `at`, for placing an eviction on that user's line. */
export function countAt(rows: HistoryRow[], zuid: string, at: number): number | undefined {
  let value: number | undefined;
  for (const r of rows) {
    if (r.at > at) break;
    value = r.counts[zuid];
  }
  return value;
}

/** Integer ticks up to `top`, spaced so the axis stays readable. */
export function countTicks(top: number): number[] {
  const step = top <= 12 ? 1 : top <= 30 ? 5 : 10;
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  return ticks;
}

export const HISTORY_RANGES = ["7d", "30d"] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];

// Red is kept for the cap and evictions.
const USER_COLORS = ["#4f46e5", "#059669", "#0284c7", "#d97706", "#7c3aed", "#0d9488", "#db2777", "#475569"];
export const userColor = (i: number) => USER_COLORS[Math.max(0, i) % USER_COLORS.length];
export const EVICTION_COLOR = "#dc2626";

export interface HistoryDay {
  key: string;
  start: number;
  end: number;
  /** The most live refresh tokens each user held at any moment of the day; undefined before their first. */
  counts: Record<string, number | undefined>;
  evictions: RefreshTokenHistoryDto["evictions"];
}

export type HistoryDayRow = HistoryDay & { label: string; title: string };

/**
 * The history as the viewer's local days (7 or 30, the last holding `generatedAt`): per user, the
 * most refresh tokens held at once that day — what decides whether Zoho's cap was reached — and
 * the evictions of the day. Days, so a tooltip stays on the day under the pointer.
 */
export function dailyHistory(data: RefreshTokenHistoryDto, range: HistoryRange, offsetOf: OffsetOf): HistoryDay[] {
  const steps = historyRows(data);
  return periodsFor(range, data.generatedAt, offsetOf).map(({ key, start, end }) => {
    const counts: Record<string, number | undefined> = {};
    for (const u of data.users) {
      let most = countAt(steps, u.zuid, start);
      for (const s of steps) {
        if (s.at < start) continue;
        if (s.at >= end) break;
        const v = s.counts[u.zuid];
        if (v !== undefined) most = Math.max(most ?? 0, v);
      }
      counts[u.zuid] = most;
    }
    return { key, start, end, counts, evictions: data.evictions.filter((e) => e.at >= start && e.at < end) };
  });
}
