"use client";
import { useSyncExternalStore } from "react";
import { relativeTime } from "@/lib/connection-status";

// The one way the console shows a point in time: in the browser's zone and locale with the zone
// named ("3 Dec 2026, 14:05 EST", "03.12.2026, 14:05 MEZ"), the ISO instant in the tooltip, and
// optionally a relative hint that ticks. The server does not know the viewer's zone, so its HTML
// (and the hydration render) carries a UTC rendering that says so; the local one follows on mount.

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

// ---- A shared ticking clock -------------------------------------------------------------------
// One interval for every subscriber on the page; the snapshot only moves when it ticks, so React
// sees a stable value between ticks (useSyncExternalStore requires that).
const TICK_MS = 1000;
const listeners = new Set<() => void>();
let clock = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function subscribeClock(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    clock = Date.now();
    timer = setInterval(() => {
      clock = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function clockSnapshot(): number {
  // Not ticking yet (first render after a client navigation): start from the real time, but keep
  // the value for a second so consecutive reads during one render agree.
  if (!timer) {
    const t = Date.now();
    if (t - clock >= TICK_MS) clock = t;
  }
  return clock;
}

/**
 * The current time, ticking every second. The server and the hydration render use `initial`
 * (the time the server built the page), so countdowns match the server's HTML, then follow the
 * browser clock.
 */
export function useNow(initial: number): number {
  return useSyncExternalStore(subscribeClock, clockSnapshot, () => initial);
}

// ---- Formatting ---------------------------------------------------------------------------------
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, options);
    formatters.set(key, f);
  }
  return f;
}

/** A fixed rendering for the server and the first client render: "2024-12-03 14:05 UTC". */
export const utcText = (ms: number, seconds = false) => `${new Date(ms).toISOString().slice(0, seconds ? 19 : 16).replace("T", " ")} UTC`;

/**
 * Date, time and zone in the browser's locale and zone: "Dec 3, 2026, 9:05 AM EST",
 * "03.12.2026, 09:05 GMT-5". Browser only (it reads the viewer's zone).
 */
export function dateTimeText(ms: number, seconds = false): string {
  const d = new Date(ms);
  const day = formatter("day", { dateStyle: "medium" }).format(d);
  const time = formatter(seconds ? "time-s" : "time", {
    hour: "numeric",
    minute: "2-digit",
    second: seconds ? "2-digit" : undefined,
    timeZoneName: "short",
  }).format(d);
  return `${day}, ${time}`;
}

/** The browser's zone as its short name at `ms` ("EST", "MEZ", "GMT-5"): for axis labels. */
export function zoneName(ms = Date.now()): string {
  const parts = formatter("zone", { hour: "numeric", timeZoneName: "short" }).formatToParts(new Date(ms));
  return parts.find((p) => p.type === "timeZoneName")?.value ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * A point in time for people: local and zoned once mounted, UTC (saying so) before; ISO in the
 * tooltip; with `relative`, a ticking hint after it ("(in 12 min)").
 */
export function LocalDateTime({
  ms,
  seconds = false,
  relative = false,
  className,
}: {
  ms: number | null;
  seconds?: boolean;
  relative?: boolean;
  className?: string;
}) {
  const mounted = useMounted();
  if (ms === null) return <span className="text-slate-500">—</span>;
  const iso = new Date(ms).toISOString();
  return (
    <>
      <time dateTime={iso} title={iso} data-local={mounted ? "" : undefined} className={className ?? "whitespace-nowrap tabular-nums"}>
        {mounted ? dateTimeText(ms, seconds) : utcText(ms, seconds)}
      </time>
      {relative && mounted && <RelativeHint ms={ms} />}
    </>
  );
}

/** " (in 12 min)", ticking; mounted only, so it may read the browser clock. */
function RelativeHint({ ms }: { ms: number }) {
  // Never rendered on the server or during hydration, so the server snapshot is never used.
  const now = useNow(0);
  return <span className="whitespace-nowrap text-slate-500"> ({relativeTime(ms, now)})</span>;
}

/**
 * Only the relative hint ("in 12 min", "3 min ago") against the caller's ticking `now` (from
 * useNow); the absolute local time and the ISO instant are its tooltip.
 */
export function RelativeTime({ ms, now }: { ms: number | null; now: number }) {
  const mounted = useMounted();
  if (ms === null) return <span>—</span>;
  const iso = new Date(ms).toISOString();
  return (
    <time dateTime={iso} title={mounted ? `${dateTimeText(ms, true)} (${iso})` : iso}>
      {relativeTime(ms, now)}
    </time>
  );
}
