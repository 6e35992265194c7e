"use client";
import { useSyncExternalStore, type ReactNode } from "react";

const noSubscription = () => () => {};

/**
 * False on the server and during hydration, true after mount. Charts and local times depend on
 * the browser's time zone and size, so they wait for it instead of mismatching the server's HTML.
 * (The store form of `useEffect(() => setMounted(true))`: same renders, no setState in an effect.)
 */
export function useMounted(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

export const DAY_MS = 86_400_000;

/** A fixed rendering for the server and the first client render: "2024-12-03 14:05 UTC". */
export const utcText = (ms: number, seconds = false) => `${new Date(ms).toISOString().slice(0, seconds ? 19 : 16).replace("T", " ")} UTC`;

export const hourText = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const secondText = (ms: number) =>
  new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
export const dayText = (ms: number) => new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric" });
export const dateTimeText = (ms: number, seconds = false) =>
  new Date(ms).toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: seconds ? "2-digit" : undefined,
    hourCycle: "h23",
  });

/** Axis ticks for a time axis spanning `spanMs`: seconds for minutes, hours for a day, days for weeks. */
export function timeTick(spanMs: number): (ms: number) => string {
  if (spanMs <= 10 * 60_000) return secondText;
  if (spanMs <= DAY_MS) return hourText;
  if (spanMs <= 3 * DAY_MS) return (ms) => dateTimeText(ms);
  return dayText;
}

/** A time in a table: UTC until mount, then the viewer's local time. */
export function ChartTime({ ms, seconds = false }: { ms: number | null; seconds?: boolean }) {
  const mounted = useMounted();
  if (ms === null) return <span className="text-slate-400">—</span>;
  const iso = new Date(ms).toISOString();
  return (
    <time dateTime={iso} title={iso} className="whitespace-nowrap tabular-nums">
      {mounted ? dateTimeText(ms, seconds) : utcText(ms, seconds)}
    </time>
  );
}

export function TooltipBox({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <div className="max-w-xs rounded-md bg-white px-3 py-2 text-xs text-slate-700 shadow-md ring-1 ring-slate-200">
      <div className="mb-1 font-semibold text-slate-900">{title}</div>
      {children}
    </div>
  );
}

/** A coloured key and a value in a tooltip line. */
export function Swatch({ color, dashed }: { color: string; dashed?: boolean }) {
  return (
    <span
      aria-hidden
      className="mr-1.5 inline-block h-2.5 w-2.5 shrink-0 rounded-sm align-middle"
      style={dashed ? { border: `1px dashed ${color}` } : { backgroundColor: color }}
    />
  );
}

export const TABLE = {
  table: "w-full text-left text-sm",
  caption: "mb-2 text-left text-xs text-slate-500",
  head: "bg-slate-50 text-xs uppercase tracking-wide text-slate-500",
  th: "px-3 py-2 font-medium",
  row: "border-t border-slate-100 align-top",
  td: "px-3 py-2 text-slate-700",
  num: "px-3 py-2 text-right tabular-nums text-slate-700",
} as const;

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Legend entries in dark text: some series colours are too light for small type. */
export const legendText = (value: ReactNode) => <span className="text-slate-700">{value}</span>;

/** Shared look of axes and grid on white. */
export const AXIS = { tick: { fontSize: 11, fill: "#475569" }, stroke: "#cbd5e1" } as const;
export const GRID_STROKE = "#e2e8f0";
