"use client";
import { useEffect, useState } from "react";
import { relativeTime } from "@/lib/connection-status";

/**
 * The current time, ticking. Starts from the server's `initial` so the first client render
 * matches the server's HTML, then follows the browser clock.
 */
export function useNow(initial: number, everyMs = 1000): number {
  const [now, setNow] = useState(initial);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const t = setInterval(tick, everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/** Local date and time in the viewer's locale; the server's rendering is replaced on hydration. */
export function LocalTime({ ms, className }: { ms: number | null; className?: string }) {
  if (ms === null) return <span className={className}>—</span>;
  const d = new Date(ms);
  return (
    <time dateTime={d.toISOString()} className={className} suppressHydrationWarning title={d.toISOString()}>
      {d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" })}
    </time>
  );
}

export function Relative({ ms, now }: { ms: number | null; now: number }) {
  if (ms === null) return <span>—</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} suppressHydrationWarning title={new Date(ms).toISOString()}>
      {relativeTime(ms, now)}
    </time>
  );
}

/** "43:07 left", "1:02:10 left", "expired 3 min ago". */
export function countdownText(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return "no access token";
  const left = Math.round((expiresAt - now) / 1000);
  if (left <= 0) return `expired ${relativeTime(expiresAt, now)}`;
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  const mmss = `${String(m).padStart(h ? 2 : 1, "0")}:${String(s).padStart(2, "0")}`;
  return `${h ? `${h}:` : ""}${mmss} left`;
}
