"use client";
import { Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import type { SavedViewLink } from "./saved-views-nav";

const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled])";

/**
 * Below `md` the header folds into a Menu button; the panel it opens holds every section (the
 * sidebar is hidden there) and the header's own controls, passed as `children`. From `md` up the
 * same children sit in the header bar and the button and section links are hidden: one markup,
 * two layouts. Opening moves focus to the first link, Escape closes and returns focus to the
 * button, and moving to another page closes it. The person's saved views follow the sections,
 * as in the sidebar: same links, same order.
 */
export function PhoneMenu({
  items,
  views = [],
  children,
}: {
  items: ReadonlyArray<{ href: string; label: string }>;
  views?: ReadonlyArray<SavedViewLink>;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const params = useSearchParams();
  const here = `${pathname}${params.size ? `?${params.toString()}` : ""}`;
  // Open only on the page it was opened on, so a navigation closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const viewsHeadingId = useId();

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    const within = (n: EventTarget | null) => n instanceof Node && (panel.current?.contains(n) || button.current?.contains(n));
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || !within(document.activeElement)) return;
      e.preventDefault();
      setOpenOn(null);
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!within(e.target)) setOpenOn(null);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  const active = (href: string) => (href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`));
  return (
    <>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpenOn(open ? null : pathname)}
        className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 md:hidden"
      >
        {open ? <X className="h-4 w-4" aria-hidden /> : <Menu className="h-4 w-4" aria-hidden />}
        Menu
      </button>
      <div
        ref={panel}
        id={panelId}
        data-testid="header-menu"
        className={cn(
          "md:flex md:items-center md:gap-3",
          open
            ? "max-md:absolute max-md:inset-x-0 max-md:top-full max-md:z-40 max-md:max-h-[calc(100dvh-3.5rem)] max-md:overflow-y-auto max-md:border-b max-md:border-slate-200 max-md:bg-white max-md:px-4 max-md:pt-2 max-md:pb-4 max-md:shadow-lg"
            : "max-md:hidden",
        )}
      >
        <nav aria-label="Sections" className="md:hidden">
          <ul className="grid grid-cols-2 gap-1 pb-3">
            {items.map((i) => (
              <li key={i.href}>
                <Link
                  href={i.href}
                  aria-current={active(i.href) ? "page" : undefined}
                  onClick={() => setOpenOn(null)}
                  className={cn(
                    "block rounded-md px-3 py-2 text-sm font-medium",
                    active(i.href) ? "bg-indigo-50 text-indigo-700" : "text-slate-700 hover:bg-slate-100",
                  )}
                >
                  {i.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {views.length > 0 && (
          <nav aria-labelledby={viewsHeadingId} className="border-t border-slate-200 pt-2 pb-3 md:hidden">
            <h2 id={viewsHeadingId} className="px-3 py-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
              Saved views
            </h2>
            <ul className="space-y-0.5">
              {views.map((v) => (
                <li key={v.id}>
                  <Link
                    href={v.href}
                    aria-current={here === v.href ? "page" : undefined}
                    onClick={() => setOpenOn(null)}
                    className={cn(
                      "block truncate rounded-md px-3 py-2 text-sm",
                      here === v.href ? "bg-indigo-50 font-medium text-indigo-700" : "text-slate-700 hover:bg-slate-100",
                    )}
                  >
                    {v.name}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="flex items-center gap-3 max-md:flex-wrap max-md:border-t max-md:border-slate-200 max-md:pt-3">{children}</div>
      </div>
    </>
  );
}
