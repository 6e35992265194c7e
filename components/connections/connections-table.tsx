"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowDown, ArrowUp } from "lucide-react";
import Link from "next/link";
import { Alert, Card } from "@/components/ui/card";
import type { ConnectionList } from "@/lib/connections/list";
import type { ConnectionStatus } from "@/lib/connection-status";
import type { ConnectionDto, ListQuery } from "@/lib/connections/queries";
import { serviceName } from "./detail-cards";
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

/**
 * The card's last corner on a phone: the status's next action in a few words, linking to the page
 * where it is done (the status decides it; this only names it briefly).
 */
function nextStep(c: ConnectionDto, status: ConnectionStatus): string | null {
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
      return c.accessType === "online" ? "Reconnect before expiry" : "Refresh if needed";
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
function Row({ c, now }: { c: ConnectionDto; now: number }) {
  const status = statusOf(c, now);
  const step = nextStep(c, status);
  return (
    <tr data-testid={`connection-row-${c.id}`}>
      <td className="max-md:[grid-area:name]">
        <Link href={`/connections/${c.id}`} className="font-medium break-words text-indigo-700 hover:underline">{c.name}</Link>
        <div className="text-xs text-slate-500">{c.client.name}</div>
      </td>
      <td className="max-md:[grid-area:status] max-md:text-right" title={status.reason}>
        <StatusBadge status={status} />
      </td>
      <td className="text-slate-700 max-md:hidden">{c.services.map(serviceName).join(", ") || "—"}</td>
      <td className="text-slate-700 max-md:hidden">{c.organisation ?? <span className="text-slate-500">Not bound</span>}</td>
      <td className="text-slate-700 uppercase max-md:hidden">{c.location}</td>
      <td className="max-md:hidden">
        <div className="text-slate-800">{c.zohoUser.email ?? c.zohoUser.name ?? "—"}</div>
        {c.zohoUser.zuid && <div className="text-xs text-slate-500">ZUID {c.zohoUser.zuid}</div>}
      </td>
      <td className="font-mono text-xs tabular-nums whitespace-nowrap text-slate-700 max-md:[grid-area:left]" suppressHydrationWarning data-testid="time-left">
        {c.facts.revokedAt || c.facts.reauthReason ? "—" : countdownText(c.facts.accessTokenExpiresAt, now)}
        {!c.facts.revokedAt && c.accessType === "offline" && (
          <div className="font-sans text-[11px] text-slate-600" data-testid="keep-fresh">{c.keepFresh ? "kept fresh" : "on demand"}</div>
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
            {step} →
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
  "max-md:block max-md:[&>tbody]:block max-md:[&_td]:p-0 max-md:[&>tbody>tr]:grid max-md:[&>tbody>tr]:grid-cols-[minmax(0,1fr)_auto]",
  "max-md:[&>tbody>tr]:gap-x-3 max-md:[&>tbody>tr]:gap-y-1.5 max-md:[&>tbody>tr]:px-4 max-md:[&>tbody>tr]:py-3",
  "max-md:[&>tbody>tr]:[grid-template-areas:'name_status'_'left_next']",
].join(" ");

export function ConnectionsTable({ initial, query }: { initial: ConnectionList; query: ListQuery }) {
  const qs = queryString(query);
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
  return (
    <>
      {list.isError && <Alert tone="amber">Live updates paused: {list.error.message}.</Alert>}
      <Card className="overflow-x-auto">
        <table className={ROWS}>
          <caption className="sr-only">Connections</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500 max-md:hidden">
            <tr>
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
              <Row key={c.id} c={c} now={now} />
            ))}
            {data.items.length === 0 && (
              <tr>
                <td colSpan={9} className="py-10! text-center text-slate-500 max-md:col-span-full">
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
