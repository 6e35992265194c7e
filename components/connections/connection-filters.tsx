"use client";
import Form from "next/form";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Download, Search } from "lucide-react";
import { SaveView } from "@/components/layout/save-view";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FilterSelect, filterControl } from "@/components/ui/filter-select";
import { STATUS_KINDS, STATUS_LABELS } from "@/lib/connection-status";
import type { ListQuery } from "@/lib/connections/queries";
import { listHref } from "./list-url";

/** The CSV of every connection the current filter matches (sort and page do not matter to it). */
const exportHref = (query: ListQuery) => {
  const qs = listHref(query, { sort: undefined, dir: undefined, page: undefined }).split("?")[1];
  return `/connections/export.csv${qs ? `?${qs}` : ""}`;
};

interface Options {
  clients: { id: number; name: string }[];
  dcs: { dc: string; label: string }[];
  tags: { tag: string; count: number }[];
}

const SERVICES = [
  ["desk", "Desk"],
  ["assist", "Assist"],
  ["salesiq", "SalesIQ"],
  ["profile", "Profile"],
] as const;

/** How long typing pauses before the search applies. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * The search box: applies itself once typing pauses, replacing the URL (one history entry per
 * search, not per keystroke). It keeps what is typed while the list reloads, and follows the URL
 * when something else changes it (Clear filters, Back).
 */
function SearchBox({ query }: { query: ListQuery }) {
  const router = useRouter();
  const urlQ = query.q ?? "";
  const [text, setText] = useState(urlQ);
  const [seen, setSeen] = useState(urlQ);
  const [pushed, setPushed] = useState(urlQ);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  if (urlQ !== seen) {
    // The URL moved; adopt it unless it is the search this box just sent.
    setSeen(urlQ);
    if (urlQ !== pushed) setText(urlQ);
  }
  useEffect(() => () => clearTimeout(timer.current), []);
  const onChange = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const q = value.trim();
      if (q === urlQ) return;
      setPushed(q);
      router.replace(listHref(query, { q: q || undefined }), { scroll: false });
    }, SEARCH_DEBOUNCE_MS);
  };
  return (
    <div className="relative min-w-72 flex-1">
      <Search className="pointer-events-none absolute top-2.5 left-2.5 h-4 w-4 text-slate-400" aria-hidden />
      <input
        name="q"
        type="search"
        value={text}
        onChange={(e) => onChange(e.target.value)}
        placeholder="Name, Zoho user or organisation"
        aria-label="Search connections"
        className={cn(filterControl, "w-full pr-3 pl-8 placeholder:text-slate-400")}
      />
    </div>
  );
}

// A GET form: every filter lands in the URL, so a filtered view can be bookmarked and shared.
// Selects apply as soon as they change and the search once typing pauses: no Apply button.
export function ConnectionFilters({ query, options }: { query: ListQuery; options: Options }) {
  const filtered = !!(query.status || query.client || query.service || query.dc || query.q || query.tag);
  // A tag named in the URL but carried by no connection still shows as chosen.
  const tags = query.tag && !options.tags.some((t) => t.tag === query.tag) ? [{ tag: query.tag, count: 0 }, ...options.tags] : options.tags;
  return (
    <Form action="/connections" className="mb-4 flex flex-wrap items-end gap-2" role="search" aria-label="Filter connections">
      <SearchBox query={query} />
      <FilterSelect name="status" label="Status" any="Any status" value={query.status} options={STATUS_KINDS.map((k) => ({ value: k, label: STATUS_LABELS[k] }))} />
      <FilterSelect name="client" label="Client" any="Any client" value={query.client} options={options.clients.map((c) => ({ value: c.id, label: c.name }))} />
      <FilterSelect name="service" label="Service" any="Any service" value={query.service} options={SERVICES.map(([v, l]) => ({ value: v, label: l }))} />
      <FilterSelect name="dc" label="Data centre" any="Any data centre" value={query.dc} options={options.dcs.map((d) => ({ value: d.dc, label: d.label }))} />
      <FilterSelect name="tag" label="Tag" any="Any tag" value={query.tag} options={tags.map((t) => ({ value: t.tag, label: `${t.tag} (${t.count})` }))} />
      {query.sort && <input type="hidden" name="sort" value={query.sort} />}
      {query.dir && <input type="hidden" name="dir" value={query.dir} />}
      {filtered && (
        <Link href="/connections" className="px-2 py-2 text-sm text-indigo-600 hover:underline">Clear filters</Link>
      )}
      <span className="ml-auto" />
      <SaveView />
      <a href={exportHref(query)} download className={buttonClass("secondary")}>
        <Download className="h-4 w-4" aria-hidden /> Export CSV
      </a>
    </Form>
  );
}
