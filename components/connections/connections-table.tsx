"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowDown, ArrowUp } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Alert, Card } from "@/components/ui/card";
import type { ConnectionList, ConnectionListRow } from "@/lib/connections/list";
import { connectionStatus, type ConnectionStatus } from "@/lib/connection-status";
import type { ListQuery } from "@/lib/connections/queries";
import { CopyId } from "@/components/ui/copy-id";
import { BulkBar, type Selection } from "./bulk-bar";
import { serviceName } from "./detail-cards";
import { TagChip } from "./tag-chip";
import { listHref, queryString } from "./list-url";
import { StatusBadge } from "./status-badge";
import { countdownText, LocalTime, Relative, useNow } from "./time";
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

/**
 * The card's last corner on a phone: the status's next action in a few words, linking to the page
 * where it is done (the status decides it; this only names it briefly).
 */
function nextStep(c: ConnectionListRow, status: ConnectionStatus): string | null {
  if (status.nextAction.startsWith("Nothing")) return null;
  switch (status.kind) {
    case "revoked":
    case "needs_reauth":
    case "online_expired":
      return "Reconnect";
    case "refresh_failing":
      return "See the error";
    case "throttled":
      return "Wait for Zoho";
    case "expired_refreshable":
      return "Refresh now";
    case "expiring_soon":
      return c.facts.accessType === "online" ? "Reconnect before expiry" : "Refresh if needed";
    default:
      return null;
  }
}

/**
 * One connection: a table row from `md` up; below it a card of four corners (name, status, time
 * left, next step) placed by grid areas (the template is on the table, ROWS), the other cells
 * hidden. A new cell names its area there (e.g. a selection box: `'select name status'`) or
 * hides below md.
 */
function Row({ c, now, select }: { c: ConnectionListRow; now: number; select?: { checked: boolean; toggle: () => void } }) {
  const status = connectionStatus(c.facts, now);
  const step = nextStep(c, status);
  return (
    <tr data-testid={`connection-row-${c.id}`}>
      {select && (
        <td className="pr-1! max-md:[grid-area:select]">
          <input type="checkbox" checked={select.checked} onChange={select.toggle} aria-label={`Select ${c.name}`} className="h-4 w-4 rounded border-slate-300 accent-indigo-600" />
        </td>
      )}
      <td className="max-md:[grid-area:name]">
        <Link href={`/connections/${c.id}`} className="font-medium break-words text-indigo-700 hover:underline">{c.name}</Link>
        <div className="text-xs text-slate-500">{c.client}</div>
        <CopyId id={c.id} className="mt-0.5" />
        {c.tags.length > 0 && (
          <div className="mt-1 flex flex-wrap gap-1" data-testid="row-tags">
            {c.tags.map((tag) => (
              <TagChip key={tag} tag={tag} href={listHref({}, { tag })} />
            ))}
          </div>
        )}
      </td>
      <td className="max-md:[grid-area:status] max-md:text-right" title={status.reason}>
        <StatusBadge status={status} />
      </td>
      <td className="text-slate-700 max-md:hidden">{c.services.map(serviceName).join(", ") || "—"}</td>
      <td className="text-slate-700 max-md:hidden">{c.organisation ?? <span className="text-slate-500">Not bound</span>}</td>
      <td className="text-slate-700 uppercase max-md:hidden">{c.location}</td>
      <td className="max-md:hidden">
        <div className="text-slate-800">{c.zohoUser ?? "—"}</div>
        {c.zuid && <div className="text-xs text-slate-500">{`ZUID ${c.zuid}`}</div>}
      </td>
      <td className="font-mono text-xs tabular-nums whitespace-nowrap text-slate-700 max-md:[grid-area:left]" suppressHydrationWarning data-testid="time-left">
        {c.facts.revokedAt || c.facts.reauthReason ? "—" : countdownText(c.facts.accessTokenExpiresAt, now)}
        {!c.facts.revokedAt && c.facts.accessType === "offline" && (
          <div className="font-sans text-[11px] text-slate-600" data-testid="keep-fresh">{c.facts.keepFresh ? "kept fresh" : "on demand"}</div>
        )}
      </td>
      <td className="text-xs whitespace-nowrap text-slate-600 max-md:hidden">
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
      <td className="hidden text-right text-sm max-md:block max-md:self-end max-md:[grid-area:next]" data-testid="next-step">
        {step ? (
          <Link href={`/connections/${c.id}`} className="font-medium text-indigo-700 hover:underline" aria-label={`${step}: ${c.name}`}>
            {`${step} →`}
          </Link>
        ) : (
          <span className="text-xs text-slate-500">Nothing to do</span>
        )}
      </td>
    </tr>
  );
}

// The rows' shared look, once on the table rather than in every cell: the page repeats it 25 times.
const ROWS = [
  "w-full text-left text-sm [&_td]:px-4 [&_td]:py-3 [&>tbody>tr]:border-t [&>tbody>tr]:border-slate-100 [&>tbody>tr]:align-top",
  "max-md:block max-md:[&>tbody]:block max-md:[&_td]:p-0 max-md:[&>tbody>tr]:grid",
  "max-md:[&>tbody>tr]:gap-x-3 max-md:[&>tbody>tr]:gap-y-1.5 max-md:[&>tbody>tr]:px-4 max-md:[&>tbody>tr]:py-3",
].join(" ");
// Below md each row is a card: two corners a line, the selection box (when there is one) beside both.
const CARD = "max-md:[&>tbody>tr]:grid-cols-[minmax(0,1fr)_auto] max-md:[&>tbody>tr]:[grid-template-areas:'name_status'_'left_next']";
const CARD_WITH_SELECT =
  "max-md:[&>tbody>tr]:grid-cols-[auto_minmax(0,1fr)_auto] max-md:[&>tbody>tr]:[grid-template-areas:'select_name_status'_'select_left_next']";

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
        <table className={`${ROWS} ${canOperate ? CARD_WITH_SELECT : CARD}`}>
          <caption className="sr-only">Connections</caption>
          {/* Below md the head shows only its selection box, labelled, above the cards (th+th: every other cell). */}
          <thead className={`bg-slate-50 text-xs uppercase tracking-wide text-slate-500 ${canOperate ? "max-md:block max-md:[&_th+th]:hidden max-md:[&_tr]:block" : "max-md:hidden"}`}>
            <tr>
              {canOperate && (
                <th scope="col" className="py-2 pr-1 pl-4 max-md:block">
                  <label className="inline-flex items-center gap-2 max-md:py-1">
                    <input
                      type="checkbox"
                      checked={pageAll}
                      onChange={togglePage}
                      className="h-4 w-4 rounded border-slate-300 accent-indigo-600"
                    />
                    <span className="text-sm font-medium tracking-normal text-slate-700 normal-case md:sr-only">Select every connection on this page</span>
                  </label>
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
              <th scope="col" className="hidden">Next step</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((c) => (
              <Row key={c.id} c={c} now={now} select={canOperate ? { checked: sel.allMatching || sel.ids.has(c.id), toggle: toggle(c.id) } : undefined} />
            ))}
            {data.items.length === 0 && (
              <tr>
                <td colSpan={canOperate ? 10 : 9} className="py-10! text-center text-slate-500 max-md:col-span-full">
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
