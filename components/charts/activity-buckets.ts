import { FAILURE_KINDS, QUARTER_MS, REFRESH_TRIGGERS, type ActivityBucket, type ActivityRange, type FailureKind, type RefreshTriggerName } from "@/lib/charts/types";

// Pure grouping for the refresh-activity chart. The server counts per quarter hour (UTC); the
// viewer's hours and days depend on the browser's zone, so the caller passes `offsetOf` and
// tests stay exact in any zone (+05:30, +05:45, a DST day).

export const HOUR_MS = 3_600_000;

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

/** Each kind of failure: warm colours apart from the successes' cool ones. */
export const FAILURES: Record<FailureKind, { name: string; color: string }> = {
  refused: { name: "Zoho refused the token", color: "#b91c1c" },
  throttled: { name: "Throttled", color: "#d97706" },
  unreachable: { name: "Zoho unreachable", color: "#c026d3" },
  other: { name: "Other failure", color: "#7c2d12" },
};

type TriggerCounts = Record<TriggerKey, number>;
type KindCounts = Record<FailureKind, number>;

export interface ActivityRow {
  /** The period's start (as a string) for hours, the local date ("2024-12-03") for days. */
  key: string;
  /** The period's first instant and the instant after its last (a day may last 23 or 25 hours). */
  start: number;
  end: number;
  /** Successes by trigger. */
  ok: TriggerCounts;
  /** Failures by kind. */
  failed: KindCounts;
  okTotal: number;
  failedTotal: number;
}

/** Minutes east of UTC at an instant. */
export type OffsetOf = (ms: number) => number;

/** The browser's own zone. */
export const browserOffset: OffsetOf = (ms) => -new Date(ms).getTimezoneOffset();

/** A zone that never changes its offset (UTC before mount, tests). */
export const fixedOffset =
  (minutes: number): OffsetOf =>
  () =>
    minutes;

/** A named IANA zone's offset, through Intl (tests and any zone the browser is not in). */
export function zoneOffset(timeZone: string): OffsetOf {
  const f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
  return (ms) => {
    const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    return Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000);
  };
}

/**
 * The period a quarter hour falls in: its local hour (as the instant it starts: zones are whole
 * quarter hours from UTC, so a local hour is four whole quarters) or its local date.
 */
export function periodKey(unit: "hour" | "day", at: number, offsetOf: OffsetOf): string {
  const local = at + offsetOf(at) * 60_000;
  if (unit === "day") return new Date(local).toISOString().slice(0, 10);
  return String(at - (((local % HOUR_MS) + HOUR_MS) % HOUR_MS));
}

const zeroTriggers = (): TriggerCounts => ({ background: 0, manual: 0, api: 0, other: 0 });
const zeroKinds = (): KindCounts => ({ refused: 0, throttled: 0, unreachable: 0, other: 0 });

/**
 * The range's periods, oldest first, the last one holding `now`, every period present: found by
 * walking quarter hours back from now, so each starts at its true local hour or midnight whatever
 * the zone's offset and however long a day is on a DST change.
 */
export function periodsFor(range: ActivityRange, now: number, offsetOf: OffsetOf): { key: string; start: number; end: number }[] {
  const { unit, count } = ACTIVITY_RANGES[range];
  const first = Math.floor(now / QUARTER_MS) * QUARTER_MS;
  const starts = new Map<string, number>();
  for (let q = first, i = 0; i < (count + 1) * 100; q -= QUARTER_MS, i++) {
    const key = periodKey(unit, q, offsetOf);
    if (!starts.has(key) && starts.size === count) break;
    starts.set(key, q);
  }
  const nowKey = periodKey(unit, first, offsetOf);
  let end = first + QUARTER_MS;
  while (periodKey(unit, end, offsetOf) === nowKey) end += QUARTER_MS;
  const list = [...starts].reverse().map(([key, start]) => ({ key, start, end: 0 }));
  list.forEach((p, i) => (p.end = list[i + 1]?.start ?? end));
  return list;
}

/** The chart's rows: the range's local periods with the quarter-hour buckets added into them. */
export function activityRows(range: ActivityRange, buckets: ActivityBucket[], now: number, offsetOf: OffsetOf): ActivityRow[] {
  const unit = ACTIVITY_RANGES[range].unit;
  const rows = new Map<string, ActivityRow>();
  for (const p of periodsFor(range, now, offsetOf)) rows.set(p.key, { ...p, ok: zeroTriggers(), failed: zeroKinds(), okTotal: 0, failedTotal: 0 });
  for (const b of buckets) {
    const row = rows.get(periodKey(unit, b.at, offsetOf));
    if (!row) continue;
    if (b.outcome === "success") {
      row.ok[(TRIGGER_KEYS as readonly string[]).includes(b.trigger) ? (b.trigger as TriggerKey) : "other"] += b.count;
      row.okTotal += b.count;
    } else {
      row.failed[(FAILURE_KINDS as readonly string[]).includes(b.kind) ? (b.kind as FailureKind) : "other"] += b.count;
      row.failedTotal += b.count;
    }
  }
  return [...rows.values()];
}

export function totals(rows: ActivityRow[]): { ok: number; failed: number; byTrigger: TriggerCounts; byKind: KindCounts } {
  const byTrigger = zeroTriggers();
  const byKind = zeroKinds();
  let ok = 0;
  let failed = 0;
  for (const r of rows) {
    ok += r.okTotal;
    failed += r.failedTotal;
    for (const t of TRIGGER_KEYS) byTrigger[t] += r.ok[t];
    for (const k of FAILURE_KINDS) byKind[k] += r.failed[k];
  }
  return { ok, failed, byTrigger, byKind };
}
