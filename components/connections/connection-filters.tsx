"use client";
import Form from "next/form";
import Link from "next/link";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
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
  const submit = (e: React.ChangeEvent<HTMLSelectElement>) => e.currentTarget.form?.requestSubmit();
  // Not the form kit's inputClass: that one is full width, these sit side by side.
  const control = "rounded-md border-0 bg-white py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600";
  const select = cn(control, "pr-8 pl-3");
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
          className={cn(control, "w-full pr-3 pl-8 placeholder:text-slate-400")}
        />
      </div>
      <select name="status" aria-label="Status" defaultValue={query.status ?? ""} onChange={submit} className={select}>
        <option value="">Any status</option>
        {STATUS_KINDS.map((k) => (
          <option key={k} value={k}>{STATUS_LABELS[k]}</option>
        ))}
      </select>
      <select name="client" aria-label="Client" defaultValue={query.client ?? ""} onChange={submit} className={select}>
        <option value="">Any client</option>
        {options.clients.map((c) => (
          <option key={c.id} value={c.id}>{c.name}</option>
        ))}
      </select>
      <select name="service" aria-label="Service" defaultValue={query.service ?? ""} onChange={submit} className={select}>
        <option value="">Any service</option>
        {SERVICES.map(([v, l]) => (
          <option key={v} value={v}>{l}</option>
        ))}
      </select>
      <select name="dc" aria-label="Data centre" defaultValue={query.dc ?? ""} onChange={submit} className={select}>
        <option value="">Any data centre</option>
        {options.dcs.map((d) => (
          <option key={d.dc} value={d.dc}>{d.label}</option>
        ))}
      </select>
      {query.sort && <input type="hidden" name="sort" value={query.sort} />}
      {query.dir && <input type="hidden" name="dir" value={query.dir} />}
      <Button type="submit" variant="secondary">Apply</Button>
      {filtered && (
        <Link href="/connections" className="px-2 py-2 text-sm text-indigo-600 hover:underline">Clear filters</Link>
      )}
    </Form>
  );
}
