"use client";
import { useQuery } from "@tanstack/react-query";
import { Cable, CornerDownLeft, FileText, KeyRound, Search, Tag } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { getJson } from "@/components/connections/get-json";
import { cn } from "@/components/ui/cn";
import { queryKeys } from "@/components/query-keys";

export interface JumpPage {
  label: string;
  href: string;
}

interface Hit {
  kind: "page" | "connection" | "client" | "tag";
  label: string;
  hint?: string;
  href: string;
}

const ICONS = { page: FileText, connection: Cable, client: KeyRound, tag: Tag };
const KIND_LABELS = { page: "Page", connection: "Connection", client: "Client", tag: "Tag" };
const DEBOUNCE_MS = 150;

/**
 * Ctrl/⌘+K: a dialog with one combobox that jumps to any page, connection or client. Pages are
 * filtered here; connections and clients are searched on the server as the user types.
 */
export function QuickJump({ pages }: { pages: JumpPage[] }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const [text, setText] = useState("");
  const [term, setTerm] = useState("");
  const [active, setActive] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const listId = useId();
  const titleId = useId();

  const search = useQuery({
    queryKey: queryKeys.quickJump(term),
    queryFn: () => getJson<{ hits: Hit[] }>(`/api/search?q=${encodeURIComponent(term)}`),
    enabled: term.trim().length > 0,
    staleTime: 10_000,
  });

  const needle = text.trim().toLowerCase();
  const pageHits: Hit[] = pages
    .filter((p) => !needle || p.label.toLowerCase().includes(needle))
    .map((p) => ({ kind: "page", label: p.label, href: p.href }));
  // Only answers for what is typed now: a slower earlier answer must not be opened by Enter.
  const serverHits = needle && term === text.trim() && search.data ? search.data.hits : [];
  // Typed text most likely names a connection or client; with nothing typed, pages are the menu.
  const items = needle ? [...serverHits, ...pageHits] : pageHits;
  const current = Math.min(active, Math.max(items.length - 1, 0));
  const optionId = (i: number) => `${listId}-option-${i}`;

  const open = () => {
    if (dialog.current?.open) return;
    returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setText("");
    setTerm("");
    setActive(0);
    dialog.current?.showModal();
    input.current?.focus();
  };
  const close = () => dialog.current?.close();

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        open();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const go = (hit: Hit | undefined) => {
    if (!hit) return;
    close();
    router.push(hit.href);
  };

  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (items.length === 0) return;
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((current + step + items.length) % items.length);
    } else if (e.key === "Home" && e.ctrlKey) {
      setActive(0);
    } else if (e.key === "End" && e.ctrlKey) {
      setActive(Math.max(items.length - 1, 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      go(items[current]);
    }
  };

  const waiting = needle.length > 0 && (term !== text || search.isFetching);
  return (
    <>
      <button
        type="button"
        onClick={open}
        aria-keyshortcuts="Control+K Meta+K"
        className="inline-flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
      >
        <Search className="h-4 w-4" aria-hidden />
        {/* On a phone the button is the icon alone; its name stays for screen readers. */}
        <span className="max-md:sr-only">Jump to…</span>
        <kbd className="hidden rounded bg-slate-100 px-1.5 font-sans text-xs text-slate-600 sm:inline">Ctrl K</kbd>
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onClose={() => {
          returnTo.current?.focus();
          returnTo.current = null;
        }}
        className="m-auto mt-[12vh] w-[min(36rem,92vw)] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id={titleId} className="sr-only">Jump to a page, connection or client</h2>
        <div className="flex items-center gap-2 border-b border-slate-200 px-3">
          <Search className="h-4 w-4 shrink-0 text-slate-500" aria-hidden />
          <input
            ref={input}
            role="combobox"
            aria-label="Jump to"
            aria-expanded={items.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={items.length > 0 ? optionId(current) : undefined}
            value={text}
            onChange={(e) => {
              const v = e.target.value;
              setText(v);
              setActive(0);
              clearTimeout(timer.current);
              timer.current = setTimeout(() => setTerm(v.trim()), DEBOUNCE_MS);
            }}
            onKeyDown={onInputKey}
            placeholder="Connection, client or page…"
            autoComplete="off"
            spellCheck={false}
            className="w-full border-0 bg-transparent py-3 text-sm text-slate-900 placeholder:text-slate-500 focus:outline-none"
          />
        </div>
        <ul id={listId} role="listbox" aria-label="Results" className="max-h-80 overflow-y-auto p-1">
          {items.map((hit, i) => {
            const Icon = ICONS[hit.kind];
            return (
              <li
                key={`${hit.kind}-${hit.href}`}
                id={optionId(i)}
                role="option"
                aria-selected={i === current}
                onMouseMove={() => setActive(i)}
                onClick={() => go(hit)}
                className={cn(
                  "flex cursor-pointer items-center gap-3 rounded-md px-3 py-2 text-sm",
                  i === current ? "bg-indigo-50 text-indigo-900" : "text-slate-800",
                )}
              >
                <Icon className="h-4 w-4 shrink-0 text-slate-500" aria-hidden />
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium">{hit.label}</span>
                  {hit.hint && <span className="block truncate text-xs text-slate-600">{hit.hint}</span>}
                </span>
                <span className="text-xs text-slate-600">{KIND_LABELS[hit.kind]}</span>
                {i === current && <CornerDownLeft className="h-3.5 w-3.5 text-slate-500" aria-hidden />}
              </li>
            );
          })}
        </ul>
        <p className="border-t border-slate-200 px-3 py-2 text-xs text-slate-600" aria-live="polite">
          {search.isError
            ? `Search failed: ${search.error.message}.`
            : waiting
              ? "Searching…"
              : items.length === 0
                ? "Nothing matches. Try part of a connection's name, its Zoho user, or a client's name."
                : "↑ ↓ to choose, Enter to open, Esc to close."}
        </p>
      </dialog>
    </>
  );
}
