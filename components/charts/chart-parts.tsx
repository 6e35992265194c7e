"use client";
import type { ReactNode } from "react";
import { dateTimeText } from "@/components/ui/local-time";

const DAY_MS = 86_400_000;

export const hourText = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const secondText = (ms: number) =>
  new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
export const dayText = (ms: number) => new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric" });
const weekdayDate = (ms: number) => new Date(ms).toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric", year: "numeric" });

/** A chart period in words with its date: "Mon, Dec 7, 2026, 14:00–15:00" or "Mon, Dec 7, 2026". */
export function periodTitle(start: number, end: number, unit: "hour" | "day"): string {
  return unit === "day" ? weekdayDate(start) : `${weekdayDate(start)}, ${hourText(start)}–${hourText(end)}`;
}

/** Axis ticks for a time axis spanning `spanMs`: seconds for minutes, hours for a day, days for weeks. */
export function timeTick(spanMs: number): (ms: number) => string {
  if (spanMs <= 10 * 60_000) return secondText;
  if (spanMs <= DAY_MS) return hourText;
  if (spanMs <= 3 * DAY_MS) return (ms) => dateTimeText(ms);
  return dayText;
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
