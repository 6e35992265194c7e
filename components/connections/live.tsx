"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { countdownText, useNow } from "./time";

/** Re-renders the server page every few seconds, for pages built from server components. */
export function AutoRefresh({ everyMs = 10_000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const t = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(t);
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
