"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

/** How long a navigation may hang before the bar gives up and hides. */
const GIVE_UP_MS = 15_000;

/** The URL as navigation changes it (the hash does not count: it scrolls, it does not load). */
const urlKey = (pathname: string, search: string) => `${pathname}?${search}`;

/** A click the browser or Next.js turns into a page load of another URL on this console. */
function navigationTarget(e: MouseEvent): URL | null {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return null;
  const a = e.target instanceof Element ? e.target.closest("a[href]") : null;
  if (!(a instanceof HTMLAnchorElement) || a.hasAttribute("download") || (a.target && a.target !== "_self")) return null;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return null;
  const search = url.search.replace(/^\?/, "");
  if (urlKey(url.pathname, search) === urlKey(location.pathname, location.search.replace(/^\?/, ""))) return null;
  return url;
}

/**
 * A thin bar along the top edge while a clicked link loads: it creeps towards 80 % and completes
 * when the URL changes. The App Router has no navigation events, so a link click (seen before
 * Next.js handles it) starts the bar and the new pathname or query ends it. With reduced motion
 * it appears and leaves without moving.
 */
export function NavProgress() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const here = urlKey(pathname, search);
  // Loading while the URL is still the one the click left from; `n` remounts the bar per click.
  const [run, setRun] = useState<{ from: string; n: number; gaveUp: boolean } | null>(null);

  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      if (!navigationTarget(e)) return;
      const from = urlKey(location.pathname, location.search.replace(/^\?/, ""));
      setRun((r) => ({ from, n: (r?.n ?? 0) + 1, gaveUp: false }));
    };
    // Capture: Next.js's <Link> stops the browser's own navigation before a bubbling listener runs.
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, []);

  const loading = run !== null && !run.gaveUp && run.from === here;
  const runId = run?.n;
  useEffect(() => {
    if (!loading) return;
    const timer = setTimeout(() => setRun((r) => (r ? { ...r, gaveUp: true } : r)), GIVE_UP_MS);
    return () => clearTimeout(timer);
  }, [loading, runId]);

  if (!run) return null;
  return (
    <div
      key={run.n}
      aria-hidden
      data-testid="nav-progress"
      data-state={loading ? "loading" : "done"}
      className={
        loading
          ? "pointer-events-none fixed inset-x-0 top-0 z-50 h-0.5 origin-left scale-x-80 bg-indigo-600 transition-transform duration-[8s] ease-out starting:scale-x-0 motion-reduce:transition-none"
          : "pointer-events-none fixed inset-x-0 top-0 z-50 h-0.5 origin-left scale-x-100 bg-indigo-600 opacity-0 transition-[transform,opacity] duration-300 motion-reduce:transition-none"
      }
    />
  );
}
