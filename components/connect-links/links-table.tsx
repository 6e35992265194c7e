"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { toast } from "sonner";
import type { IssuedLink } from "@/app/(dashboard)/connect-links/actions";
import { getJson } from "@/components/connections/get-json";
import { Alert, Badge, Card } from "@/components/ui/card";
import { LocalDateTime, RelativeTime, useNow } from "@/components/ui/local-time";
import type { ConnectLinkDto } from "@/lib/connect-links/view";
import { CreatedLinkPanel } from "./created-link-panel";
import { LinkRowActions } from "./link-row-actions";
import { LinkState } from "./link-state";
import { compactScopes, isOpenLinkState, linkEnd } from "./link-words";
import { queryKeys } from "@/components/query-keys";

/** One page of the list, as the page renders it and /api/connect-links answers it. */
export interface LinksPageData {
  links: ConnectLinkDto[];
  total: number;
  page: number;
  pageSize: number;
  generatedAt: number;
}

// While a link on the page may still move on (its owner is at Zoho), the creator sees the result
// within seconds; a page of ended links does not poll at all.
const POLL_MS = 4_000;

const HEADINGS = ["State", "Connection and client", "Scopes", "Created", "Expires or ended", "Completed by"];

type Shown = { issued: IssuedLink; name: string; expectedEmail: string | null };

export function LinksTable({ initial, canConnect, smtpConfigured }: { initial: LinksPageData; canConnect: boolean; smtpConfigured: boolean }) {
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: queryKeys.connectLinksPage(initial.page),
    queryFn: () => getJson<LinksPageData>(`/api/connect-links?page=${initial.page}`),
    initialData: initial,
    initialDataUpdatedAt: initial.generatedAt,
    refetchInterval: (q) => (q.state.data?.links.some((l) => isOpenLinkState(l.state)) ? POLL_MS : false),
    refetchIntervalInBackground: false,
  });
  const [shown, setShown] = useState<Shown>();
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (shown) panel.current?.scrollIntoView({ block: "nearest" });
  }, [shown]);
  const reload = () => void queryClient.invalidateQueries({ queryKey: queryKeys.connectLinks() });
  const data = list.data;
  const now = useNow(initial.generatedAt);
  const pageCount = Math.max(1, Math.ceil(data.total / data.pageSize));

  return (
    <div className="space-y-3">
      {shown && (
        <div ref={panel}>
          <CreatedLinkPanel
            issued={shown.issued}
            title={`New link for “${shown.name}” issued`}
            expectedEmail={shown.expectedEmail}
            smtpConfigured={smtpConfigured}
            onDone={() => setShown(undefined)}
          />
        </div>
      )}
      {list.isError && <Alert tone="amber">Live updates paused: {list.error.message}.</Alert>}
      <Card className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Connect links, newest first</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              {HEADINGS.map((h) => (
                <th key={h} scope="col" className="px-4 py-2 font-medium whitespace-nowrap">
                  {h}
                </th>
              ))}
              {canConnect && (
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {data.links.map((l) => (
              <LinkRow
                key={l.id}
                link={l}
                now={now}
                actions={
                  canConnect ? (
                    <LinkRowActions
                      link={l}
                      onChanged={reload}
                      onIssued={(issued, from) => {
                        toast.success(isOpenLinkState(from.state) ? "New link issued. The previous one no longer opens." : "New link issued.");
                        setShown({ issued, name: from.connectionName, expectedEmail: from.expectedEmail });
                      }}
                    />
                  ) : null
                }
              />
            ))}
            {data.links.length === 0 && (
              <tr>
                <td colSpan={HEADINGS.length + (canConnect ? 1 : 0)} className="px-4 py-10 text-center text-slate-500">
                  No links on this page. <Link href="/connect-links" className="text-indigo-600 hover:underline">First page</Link>
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </Card>
      <nav aria-label="Pages" className="flex items-center justify-between text-sm text-slate-600">
        <span>
          {data.total} link{data.total === 1 ? "" : "s"} · page {data.page} of {pageCount}
        </span>
        <span className="flex gap-3">
          {data.page > 1 && (
            <Link href={`/connect-links?page=${data.page - 1}`} className="text-indigo-600 hover:underline">
              Previous
            </Link>
          )}
          {data.page < pageCount && (
            <Link href={`/connect-links?page=${data.page + 1}`} className="text-indigo-600 hover:underline">
              Next
            </Link>
          )}
        </span>
      </nav>
    </div>
  );
}

function LinkRow({ link: l, now, actions }: { link: ConnectLinkDto; now: number; actions: ReactNode }) {
  const scopes = compactScopes(l.scopes);
  const end = linkEnd(l);
  return (
    <tr className="border-t border-slate-100 align-top" data-testid={`connect-link-row-${l.id}`}>
      <td className="min-w-32 px-4 py-3">
        <LinkState link={l} />
      </td>
      <td className="min-w-44 px-4 py-3">
        <div className="flex flex-wrap items-center gap-2">
          {l.kind === "reconnect" && l.connectionId !== null ? (
            <Link href={`/connections/${l.connectionId}`} className="font-medium text-indigo-700 hover:underline">
              {l.connectionName}
            </Link>
          ) : (
            <span className="font-medium text-slate-900">{l.connectionName}</span>
          )}
          <Badge tone={l.kind === "reconnect" ? "amber" : "gray"}>{l.kind === "reconnect" ? "Reconnect" : "New"}</Badge>
        </div>
        <div className="text-xs text-slate-600">{l.client.name}</div>
        {l.expectedEmail && <div className="text-xs text-slate-500">Only {l.expectedEmail} may complete it</div>}
      </td>
      <td className="min-w-36 px-4 py-3">
        <details className="text-xs">
          <summary className="cursor-pointer text-slate-700">
            {scopes.services} · {scopes.scopes.length} scope{scopes.scopes.length === 1 ? "" : "s"}
            <span className="text-slate-500"> · {l.accessType}</span>
          </summary>
          <ul className="mt-1 space-y-0.5 font-mono break-all text-slate-600">
            {scopes.scopes.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </details>
      </td>
      <td className="px-4 py-3 text-xs text-slate-600">
        <div className="text-sm text-slate-800">{l.createdBy ?? "a deleted user"}</div>
        <LocalDateTime ms={l.createdAt} />
      </td>
      <td className="px-4 py-3 text-xs text-slate-600">
        <div className="text-slate-500">
          {end.label}
          {end.label === "Expires" && (
            <>
              {" "}
              <RelativeTime ms={end.at} now={now} />
            </>
          )}
        </div>
        {end.at !== null ? <LocalDateTime ms={end.at} /> : <span>—</span>}
      </td>
      <td className="px-4 py-3">
        {l.state === "completed" ? (
          <>
            <div className="text-slate-800">{l.completedEmail ?? (l.completedZuid ? `ZUID ${l.completedZuid}` : "unknown Zoho user")}</div>
            {l.resultConnectionId !== null && (
              <Link href={`/connections/${l.resultConnectionId}`} className="text-xs text-indigo-600 hover:underline">
                Open the connection
                <span className="sr-only"> {l.connectionName}</span>
              </Link>
            )}
          </>
        ) : (
          <span className="text-slate-500">—</span>
        )}
      </td>
      {actions && <td className="px-4 py-3">{actions}</td>}
    </tr>
  );
}
