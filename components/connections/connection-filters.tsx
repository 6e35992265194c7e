"use client";
import Form from "next/form";
import Link from "next/link";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FilterSelect, filterControl } from "@/components/ui/filter-select";
import { STATUS_KINDS, STATUS_LABELS } from "@/lib/connection-status";
import type { ListQuery } from "@/lib/connections/queries";

interface Options {
  clients: { id: number; name: string }[];
  dcs: { dc: string; label: string }[];
}

const SERVICES = [
  ["desk", "Desk"],
  ["assist", "Assist"],
  ["salesiq", "SalesIQ"],
  ["profile", "Profile"],
] as const;

// A GET form: every filter lands in the URL, so a filtered view can be bookmarked and shared.
export function ConnectionFilters({ query, options }: { query: ListQuery; options: Options }) {
  const filtered = !!(query.status || query.client || query.service || query.dc || query.q);
  return (
    <Form action="/connections" className="mb-4 flex flex-wrap items-end gap-2" role="search" aria-label="Filter connections">
      <div className="relative min-w-56 flex-1">
        <Search className="pointer-events-none absolute top-2.5 left-2.5 h-4 w-4 text-slate-400" aria-hidden />
        <input
          name="q"
          type="search"
          defaultValue={query.q ?? ""}
          placeholder="Search name, Zoho user, organisation…"
          aria-label="Search connections"
          className={cn(filterControl, "w-full pr-3 pl-8 placeholder:text-slate-400")}
        />
      </div>
      <FilterSelect name="status" label="Status" any="Any status" value={query.status} options={STATUS_KINDS.map((k) => ({ value: k, label: STATUS_LABELS[k] }))} />
      <FilterSelect name="client" label="Client" any="Any client" value={query.client} options={options.clients.map((c) => ({ value: c.id, label: c.name }))} />
      <FilterSelect name="service" label="Service" any="Any service" value={query.service} options={SERVICES.map(([v, l]) => ({ value: v, label: l }))} />
      <FilterSelect name="dc" label="Data centre" any="Any data centre" value={query.dc} options={options.dcs.map((d) => ({ value: d.dc, label: d.label }))} />
      {query.sort && <input type="hidden" name="sort" value={query.sort} />}
      {query.dir && <input type="hidden" name="dir" value={query.dir} />}
      <Button type="submit" variant="secondary">Apply</Button>
      {filtered && (
        <Link href="/connections" className="px-2 py-2 text-sm text-indigo-600 hover:underline">Clear filters</Link>
      )}
    </Form>
  );
}
