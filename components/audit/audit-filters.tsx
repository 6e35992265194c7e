"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMounted } from "@/components/ui/local-time";
import { Download } from "lucide-react";
import { SaveView } from "@/components/layout/save-view";
import { Button, buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FilterSelect, filterControl } from "@/components/ui/filter-select";
import { ACTION_GROUPS, actionLabel, actionsInGroup, OUTCOMES, type ActionGroup } from "@/lib/audit/actions";
import { auditHref, auditSearchParams, isFiltered, parseAuditQuery, RANGES, type AuditFilter } from "@/lib/audit/filters";
import type { ConnectionOption } from "@/lib/audit/rows";

interface AuditFilterOptions {
  actors: { value: string; label: string }[];
  clients: { id: number; name: string }[];
  connections: ConnectionOption[];
  tags: string[];
}

/** "2026-12-03T09:30" in the browser's zone, for a datetime-local input. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A datetime-local picker in the viewer's zone that submits an ISO time in UTC (hidden input),
 * so a shared link means the same moment for everyone.
 */
function LocalTimeInput({ name, label, iso }: { name: string; label: string; iso?: string }) {
  const mounted = useMounted();
  const [typed, setLocal] = useState<string | null>(null);
  // The browser's zone is known only after mount; until then the field is empty.
  const local = typed ?? (mounted ? toLocalInput(iso) : "");
  const value = local && Number.isFinite(Date.parse(local)) ? new Date(local).toISOString() : "";
  return (
    <label className="flex flex-col text-xs text-slate-600">
      {label}
      <input type="datetime-local" value={local} onChange={(e) => setLocal(e.target.value)} className={cn(filterControl, "px-3")} />
      <input type="hidden" name={name} value={value} />
    </label>
  );
}

// A GET form (it works without script too): every filter lands in the URL, navigated on the
// client so Back and Forward work, and a filtered view can be bookmarked and shared. Selects
// apply as they change.
export function AuditFilters({ filter, options }: { filter: AuditFilter; options: AuditFilterOptions }) {
  const router = useRouter();
  // Only the filters that are set go into the URL, through the same parser the server uses.
  const go = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === "string" && v) params.set(k, v);
    router.push(auditHref(parseAuditQuery(params).filter));
  };
  const [range, setRange] = useState(filter.range ?? "");
  const filtered = isFiltered(filter);
  const groups = Object.entries(ACTION_GROUPS) as [ActionGroup, string][];
  const exportQuery = auditSearchParams(filter).toString();
  // A connection named in the URL but outside the picker's list still shows as chosen.
  const connections =
    filter.connection !== undefined && !options.connections.some(([id]) => id === filter.connection)
      ? [[filter.connection, `Connection #${filter.connection}`] as ConnectionOption, ...options.connections]
      : options.connections;
  return (
    <form action="/audit" onSubmit={go} className="mb-4 flex flex-wrap items-end gap-2 max-md:grid max-md:grid-cols-2 max-md:[&>select]:w-full max-md:[&>select]:min-w-0" role="search" aria-label="Filter audit events" key={exportQuery}>
      <div className="flex min-w-0 gap-2 max-md:col-span-2 md:w-80">
        <input
          type="search"
          name="q"
          defaultValue={filter.q}
          aria-label="Search events"
          placeholder="Search sentence, target, detail"
          maxLength={200}
          className={cn(filterControl, "min-w-0 flex-1 px-3")}
        />
        <Button type="submit" variant="secondary">Search</Button>
      </div>
      <FilterSelect name="actor" label="Actor" any="Any actor" value={filter.actor} options={options.actors} />
      <FilterSelect name="action" label="Action" any="Any action" value={filter.action}>
        {groups.map(([g, label]) => (
          <optgroup key={g} label={label}>
            <option value={g}>All {label.toLowerCase()} events</option>
            {actionsInGroup(g).map((action) => (
              <option key={action} value={action}>{actionLabel(action)}</option>
            ))}
          </optgroup>
        ))}
      </FilterSelect>
      <FilterSelect name="client" label="Client" any="Any client" value={filter.client} options={options.clients.map((c) => ({ value: c.id, label: c.name }))} />
      <FilterSelect
        name="connection"
        label="Connection"
        any="Any connection"
        value={filter.connection}
        options={connections.map(([value, label]) => ({ value, label }))}
      />
      <FilterSelect
        name="tag"
        label="Tag"
        any="Any tag"
        value={filter.tag}
        options={(filter.tag && !options.tags.includes(filter.tag) ? [filter.tag, ...options.tags] : options.tags).map((t) => ({ value: t, label: t }))}
      />
      <FilterSelect name="outcome" label="Outcome" any="Any outcome" value={filter.outcome} options={OUTCOMES.map((o) => ({ value: o, label: o[0].toUpperCase() + o.slice(1) }))} />
      <select
        name="range"
        aria-label="Date range"
        value={range}
        onChange={(e) => {
          setRange(e.target.value as typeof range);
          if (e.target.value !== "custom") e.currentTarget.form?.requestSubmit();
        }}
        className={cn(filterControl, "pr-8 pl-3")}
      >
        <option value="">All time</option>
        {Object.entries(RANGES).map(([k, label]) => (
          <option key={k} value={k}>{label}</option>
        ))}
      </select>
      {range === "custom" && (
        <>
          <LocalTimeInput name="from" label="From" iso={filter.from} />
          <LocalTimeInput name="to" label="Until" iso={filter.to} />
          <Button type="submit" variant="secondary">Apply</Button>
        </>
      )}
      {filtered && (
        <Link href="/audit" className="px-2 py-2 text-sm text-indigo-600 hover:underline">Clear filters</Link>
      )}
      <span className="ml-auto max-md:hidden" />
      <SaveView />
      <a href={`/audit/export.csv${exportQuery ? `?${exportQuery}` : ""}`} download className={cn(buttonClass("secondary"), "max-md:col-span-2 max-md:justify-self-end")}>
        <Download className="h-4 w-4" aria-hidden /> Export CSV
      </a>
    </form>
  );
}
