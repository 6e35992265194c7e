import { REFRESH_TRIGGERS, type ActivityBucket, type RefreshTriggerName } from "@/lib/charts/types";

// Pure grouping for the refresh-activity chart. The server counts per UTC hour; the viewer's
// days depend on the browser's time zone, so the caller passes `dayKey` and tests stay exact.

export const HOUR_MS = 3_600_000;

export type ActivityRange = "24h" | "7d" | "30d";

export const ACTIVITY_RANGES: Record<ActivityRange, { label: string; unit: "hour" | "day"; count: number; words: string }> = {
  "24h": { label: "24 hours", unit: "hour", count: 24, words: "the last 24 hours" },
  "7d": { label: "7 days", unit: "day", count: 7, words: "the last 7 days" },
  "30d": { label: "30 days", unit: "day", count: 30, words: "the last 30 days" },
};

export type TriggerKey = RefreshTriggerName | "other";
export const TRIGGER_KEYS: readonly TriggerKey[] = [...REFRESH_TRIGGERS, "other"];

/** Each trigger's series: its name in the legend, tooltip and table, and its colour. */
export const TRIGGERS: Record<TriggerKey, { name: string; color: string }> = {
  background: { name: "Background", color: "#047857" },
  manual: { name: "Manual", color: "#0284c7" },
  api: { name: "API", color: "#4338ca" },
  other: { name: "Other", color: "#64748b" },
};
export const FAILED_COLOR = "#dc2626";

type TriggerCounts = Record<TriggerKey, number>;

export interface ActivityRow {
  /** The hour's start (as a string) or the day key. */
  key: string;
  /** An instant inside the period (its first hour), for formatting its label. */
  start: number;
  ok: TriggerCounts;
  failed: TriggerCounts;
  okTotal: number;
  failedTotal: number;
}

const zero = (): TriggerCounts => ({ background: 0, manual: 0, api: 0, other: 0 });

function fillRows(periods: { key: string; start: number }[], buckets: ActivityBucket[], keyOf: (hour: number) => string): ActivityRow[] {
  const rows = new Map<string, ActivityRow>();
  for (const p of periods) rows.set(p.key, { ...p, ok: zero(), failed: zero(), okTotal: 0, failedTotal: 0 });
  for (const b of buckets) {
    const row = rows.get(keyOf(b.hour));
    if (!row) continue;
    const trigger: TriggerKey = TRIGGER_KEYS.includes(b.trigger) ? b.trigger : "other";
    if (b.outcome === "success") {
      row.ok[trigger] += b.count;
      row.okTotal += b.count;
    } else {
      row.failed[trigger] += b.count;
      row.failedTotal += b.count;
    }
  }
  return [...rows.values()];
}

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/** The last `hours` hours up to the one holding `now`, every hour present (zeros where quiet). */
export function hourlyRows(buckets: ActivityBucket[], now: number, hours = 24): ActivityRow[] {
  const last = floorHour(now);
  const periods = Array.from({ length: hours }, (_, i) => {
    const start = last - (hours - 1 - i) * HOUR_MS;
    return { key: String(start), start };
  });
  return fillRows(periods, buckets, (h) => String(floorHour(h)));
}

/**
 * The last `days` days (as `dayKey` names them) up to the one holding `now`, oldest first, every
 * day present. Walking back hour by hour finds each day whatever its length (23 or 25 hours on a
 * DST change) and whatever the zone's offset; an hourly bucket belongs to the day its hour starts in.
 */
export function dailyRows(buckets: ActivityBucket[], now: number, days: number, dayKey: (ms: number) => string): ActivityRow[] {
  const firstHour = new Map<string, number>();
  const limit = (days + 2) * 26;
  for (let h = floorHour(now), i = 0; i < limit; h -= HOUR_MS, i++) {
    const key = dayKey(h);
    if (!firstHour.has(key) && firstHour.size === days) break;
    firstHour.set(key, h);
  }
  const periods = [...firstHour].reverse().map(([key, start]) => ({ key, start }));
  return fillRows(periods, buckets, dayKey);
}

export function rowsFor(range: ActivityRange, buckets: ActivityBucket[], now: number, dayKey: (ms: number) => string): ActivityRow[] {
  const r = ACTIVITY_RANGES[range];
  return r.unit === "hour" ? hourlyRows(buckets, now, r.count) : dailyRows(buckets, now, r.count, dayKey);
}

export function totals(rows: ActivityRow[]): { ok: number; failed: number } & { byTrigger: TriggerCounts } {
  const byTrigger = zero();
  let ok = 0;
  let failed = 0;
  for (const r of rows) {
    ok += r.okTotal;
    failed += r.failedTotal;
    for (const t of TRIGGER_KEYS) byTrigger[t] += r.ok[t];
  }
  return { ok, failed, byTrigger };
}

/** A day key in a fixed offset from UTC (minutes east); the browser's own zone uses `localDayKey`. */
export const fixedOffsetDayKey = (offsetMinutes: number) => (ms: number) => new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 10);

const pad = (n: number) => String(n).padStart(2, "0");

/** The browser's local calendar day, "2024-12-03". */
export function localDayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
