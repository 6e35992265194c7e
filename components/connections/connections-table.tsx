"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowDown, ArrowUp } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Alert, Card } from "@/components/ui/card";
import type { ConnectionList } from "@/lib/connections/list";
import type { ConnectionDto, ListQuery } from "@/lib/connections/queries";
import { CopyId } from "@/components/ui/copy-id";
import { BulkBar, type Selection } from "./bulk-bar";
import { serviceName } from "./detail-cards";
import { TagChip } from "./tag-chip";
import { listHref, queryString } from "./list-url";
import { StatusBadge } from "./status-badge";
import { countdownText, LocalTime, Relative, useNow } from "./time";
import { statusOf } from "./status-of";
import { getJson } from "./get-json";
import { queryKeys } from "@/components/query-keys";

const LIST_POLL_MS = 5_000;

async function fetchList(qs: string): Promise<ConnectionList> {
  return getJson<ConnectionList>(`/api/connections${qs ? `?${qs}` : ""}`);
}

type SortKey = NonNullable<ListQuery["sort"]>;

function SortHeader({ label, sort, query }: { label: string; sort: SortKey; query: ListQuery }) {
  const current = (query.sort ?? "status") === sort;
  const defaultDir = sort === "last_refresh" || sort === "created" ? "desc" : "asc";
  const dir = query.dir ?? defaultDir;
  const next = current ? (dir === "asc" ? "desc" : "asc") : defaultDir;
  const Icon = dir === "asc" ? ArrowUp : ArrowDown;
  return (
    <th scope="col" className="px-4 py-2 font-medium" aria-sort={current ? (dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={listHref(query, { sort, dir: next })} className="inline-flex items-center gap-1 hover:text-slate-800">
        {label}
        {current && <Icon className="h-3 w-3" aria-hidden />}
      </Link>
    </th>
  );
}

function Row({ c, now, select }: { c: ConnectionDto; now: number; select?: { checked: boolean; toggle: () => void } }) {
  const status = statusOf(c, now);
  return (
    <tr className="border-t border-slate-100 align-top" data-testid={`connection-row-${c.id}`}>
      {select && (
        <td className="py-3 pr-1 pl-4">
          <input type="checkbox" checked={select.checked} onChange={select.toggle} aria-label={`Select ${c.name}`} className="h-4 w-4 rounded border-slate-300 accent-indigo-600" />
        </td>
      )}
      <td className="px-4 py-3">
        <Link href={`/connections/${c.id}`} className="font-medium text-indigo-700 hover:underline">{c.name}</Link>
        <div className="text-xs text-slate-500">{c.client.name}</div>
        <CopyId id={c.id} className="mt-0.5" />
        {c.tags.length > 0 && (
          <div className="mt-1 flex flex-wrap gap-1" data-testid="row-tags">
            {c.tags.map((tag) => (
              <TagChip key={tag} tag={tag} href={listHref({}, { tag })} />
            ))}
          </div>
        )}
      </td>
      <td className="px-4 py-3" title={status.reason}>
        <StatusBadge status={status} />
      </td>
      <td className="px-4 py-3 text-slate-700">{c.services.map(serviceName).join(", ") || "—"}</td>
      <td className="px-4 py-3 text-slate-700">{c.organisation ?? <span className="text-slate-500">Not bound</span>}</td>
      <td className="px-4 py-3 text-slate-700 uppercase">{c.location}</td>
      <td className="px-4 py-3">
        <div className="text-slate-800">{c.zohoUser.email ?? c.zohoUser.name ?? "—"}</div>
        {c.zohoUser.zuid && <div className="text-xs text-slate-500">ZUID {c.zohoUser.zuid}</div>}
      </td>
      <td className="px-4 py-3 font-mono text-xs tabular-nums whitespace-nowrap text-slate-700" suppressHydrationWarning>
        {c.facts.revokedAt ? "—" : countdownText(c.facts.accessTokenExpiresAt, now)}
        {!c.facts.revokedAt && c.accessType === "offline" && (
          <div className="font-sans text-[11px] text-slate-600" data-testid="keep-fresh">{c.keepFresh ? "kept fresh" : "on demand"}</div>
        )}
      </td>
      <td className="px-4 py-3 text-xs whitespace-nowrap text-slate-600">
        {c.lastRefreshAt ? (
          <>
            <Relative ms={c.lastRefreshAt} now={now} />
            <div className="text-slate-500">
              <LocalTime ms={c.lastRefreshAt} />
            </div>
          </>
        ) : (
          <span className="text-slate-500">not yet</span>
        )}
      </td>
    </tr>
  );
}

export function ConnectionsTable({ initial, query, canOperate = false }: { initial: ConnectionList; query: ListQuery; canOperate?: boolean }) {
  const qs = queryString(query);
  // The selection belongs to the filter it was made under: a new filter starts with none.
  const [picked, setPicked] = useState<{ qs: string; ids: Set<number>; allMatching: boolean }>({ qs, ids: new Set(), allMatching: false });
  const sel = picked.qs === qs ? picked : { qs, ids: new Set<number>(), allMatching: false };
  const clear = () => setPicked({ qs, ids: new Set(), allMatching: false });
  const list = useQuery({
    queryKey: queryKeys.connections(qs),
    queryFn: () => fetchList(qs),
    initialData: initial,
    initialDataUpdatedAt: initial.generatedAt,
    placeholderData: keepPreviousData,
    refetchInterval: LIST_POLL_MS,
  });
  const now = useNow(initial.generatedAt);
  const data = list.data;
  const pageIds = data.items.map((c) => c.id);
  const pageAll = pageIds.length > 0 && pageIds.every((id) => sel.ids.has(id));
  const togglePage = () => setPicked({ qs, ids: pageAll ? new Set() : new Set(pageIds), allMatching: false });
  const toggle = (id: number) => () => {
    const ids = new Set(sel.allMatching ? pageIds : sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    setPicked({ qs, ids, allMatching: false });
  };
  const selection: Selection | null = sel.allMatching
    ? { kind: "filter", filter: qs, count: data.total }
    : sel.ids.size
      ? { kind: "ids", ids: [...sel.ids] }
      : null;
  return (
    <>
      {list.isError && <Alert tone="amber">Live updates paused: {list.error.message}.</Alert>}
      {canOperate && <BulkBar selection={selection} onClear={clear} />}
      {canOperate && pageAll && data.total > pageIds.length && (
        <p className="mb-3 text-sm text-slate-700" data-testid="select-all-matching">
          {sel.allMatching ? (
            <>
              All {data.total} connections matching this filter are selected.{" "}
              <button type="button" className="text-indigo-700 hover:underline" onClick={clear}>Clear selection</button>
            </>
          ) : (
            <>
              All {pageIds.length} on this page are selected.{" "}
              <button type="button" className="text-indigo-700 hover:underline" onClick={() => setPicked({ qs, ids: new Set(pageIds), allMatching: true })}>
                Select all {data.total} matching connections
              </button>
            </>
          )}
        </p>
      )}
      <Card className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Connections</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              {canOperate && (
                <th scope="col" className="py-2 pr-1 pl-4">
                  <input
                    type="checkbox"
                    checked={pageAll}
                    onChange={togglePage}
                    aria-label="Select every connection on this page"
                    className="h-4 w-4 rounded border-slate-300 accent-indigo-600"
                  />
                </th>
              )}
              <SortHeader label="Connection" sort="name" query={query} />
              <SortHeader label="Status" sort="status" query={query} />
              <th scope="col" className="px-4 py-2 font-medium">Services</th>
              <th scope="col" className="px-4 py-2 font-medium">Organisation</th>
              <th scope="col" className="px-4 py-2 font-medium">DC</th>
              <th scope="col" className="px-4 py-2 font-medium">Zoho user</th>
              <SortHeader label="Time left" sort="expiry" query={query} />
              <SortHeader label="Last refresh" sort="last_refresh" query={query} />
            </tr>
          </thead>
          <tbody>
            {data.items.map((c) => (
              <Row key={c.id} c={c} now={now} select={canOperate ? { checked: sel.allMatching || sel.ids.has(c.id), toggle: toggle(c.id) } : undefined} />
            ))}
            {data.items.length === 0 && (
              <tr>
                <td colSpan={canOperate ? 9 : 8} className="px-4 py-10 text-center text-slate-500">
                  No connection matches these filters. <Link href="/connections" className="text-indigo-600 hover:underline">Clear filters</Link>
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </Card>
      <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm text-slate-600">
        <span>
          {data.total} connection{data.total === 1 ? "" : "s"}
          {data.total !== data.totalAll && ` of ${data.totalAll}`} · page {data.page} of {data.pageCount}
        </span>
        <span className="flex gap-3">
          {data.page > 1 && <Link href={listHref(query, { page: data.page - 1 })} className="text-indigo-600 hover:underline">Previous</Link>}
          {data.page < data.pageCount && <Link href={listHref(query, { page: data.page + 1 })} className="text-indigo-600 hover:underline">Next</Link>}
        </span>
      </nav>
    </>
  );
}
