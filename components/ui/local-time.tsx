"use client";
import { useSyncExternalStore } from "react";

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

/** A fixed rendering for the server and the first client render: "2024-12-03 14:05 UTC". */
export const utcText = (ms: number, seconds = false) => `${new Date(ms).toISOString().slice(0, seconds ? 19 : 16).replace("T", " ")} UTC`;

export const dateTimeText = (ms: number, seconds = false) =>
  new Date(ms).toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: seconds ? "2-digit" : undefined,
    hourCycle: "h23",
  });

/**
 * A time in the viewer's zone and locale: UTC (and says so) in the server's HTML and during
 * hydration, local once mounted, so the two never mismatch. The ISO time is in the tooltip.
 */
export function LocalDateTime({ ms, seconds = false }: { ms: number | null; seconds?: boolean }) {
  const mounted = useMounted();
  if (ms === null) return <span className="text-slate-500">—</span>;
  const iso = new Date(ms).toISOString();
  return (
    <time dateTime={iso} title={iso} className="whitespace-nowrap tabular-nums">
      {mounted ? dateTimeText(ms, seconds) : utcText(ms, seconds)}
    </time>
  );
}

