"use client";
import { relativeTime } from "@/lib/connection-status";

// Times live in components/ui/local-time.tsx; these names stay for the connection views.
export { useNow, LocalDateTime as LocalTime, RelativeTime as Relative } from "@/components/ui/local-time";

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
