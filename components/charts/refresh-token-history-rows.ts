import type { RefreshTokenHistoryDto } from "@/lib/charts/types";

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
