"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { countdownText, useNow } from "./time";

/**
 * Re-renders a server-built page when its data changed: polls the cheap version route every few
 * seconds while the tab is visible, and refreshes the page only when the version (or the minute,
 * since statuses follow the clock) moved. A hidden tab does not poll at all.
 */
export function AutoRefresh({ everyMs = 10_000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    let last: string | undefined;
    let stopped = false;
    const check = async () => {
      if (document.hidden) return;
      try {
        const res = await fetch("/api/connections/version", { cache: "no-store" });
        if (!res.ok || stopped) return;
        const { version, bucket } = (await res.json()) as { version: number; bucket: number };
        const seen = `${version}:${bucket}`;
        if (last !== undefined && seen !== last) router.refresh();
        last = seen;
      } catch {
        // Offline for a moment: the next tick tries again.
      }
    };
    void check();
    const t = setInterval(check, everyMs);
    const onVisible = () => {
      if (!document.hidden) void check();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      clearInterval(t);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [router, everyMs]);
  return null;
}

export function Countdown({ expiresAt, generatedAt }: { expiresAt: number | null; generatedAt: number }) {
  const now = useNow(generatedAt);
  return (
    <span className="font-mono text-xs tabular-nums" suppressHydrationWarning>
      {countdownText(expiresAt, now)}
    </span>
  );
}
