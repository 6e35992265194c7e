"use client";
import type { MouseEvent } from "react";

/** The id of the layouts' `<main>`, where the link moves focus. */
const MAIN_ID = "main";

/**
 * "Skip to main content": the first thing Tab reaches, hidden until it has focus. Enter moves
 * focus to `<main id="main" tabIndex={-1}>`, so the next Tab starts inside the page rather than
 * back through the navigation. Without JavaScript the plain `#main` link still jumps there.
 */
export function SkipLink() {
  const skip = (e: MouseEvent<HTMLAnchorElement>) => {
    const main = document.getElementById(MAIN_ID);
    if (!main) return;
    e.preventDefault();
    main.focus();
  };
  return (
    <a
      href={`#${MAIN_ID}`}
      onClick={skip}
      // Parked above the top edge (still read by screen readers) and brought into view on focus.
      className="fixed top-3 left-3 z-50 -translate-y-24 rounded-md bg-white px-3 py-2 text-sm font-medium text-indigo-700 shadow-lg ring-1 ring-slate-300 focus:translate-y-0 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      Skip to main content
    </a>
  );
}
