"use client";
import Link from "next/link";
import { Fragment, useState } from "react";
import { Badge } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { LocalDateTime, useMounted } from "@/components/ui/local-time";
import { actionLabel, summarizeDetail, targetHref } from "@/lib/audit/actions";
import type { AuditRow } from "@/lib/audit/rows";

const OUTCOME_TONE = { success: "green", failure: "red", denied: "amber" } as const;
const ACTOR_KIND = { user: "user", api_key: "API key", system: "system", anonymous: "anonymous" } as const;

function OutcomeBadge({ outcome }: { outcome: AuditRow["outcome"] }) {
  return <Badge tone={OUTCOME_TONE[outcome]}>{outcome}</Badge>;
}

// A page repeats these cells 50 times: their shared look sits on the table (see AuditTable), and
// each cell keeps only what differs, so the page's HTML stays small.
const SUB = "text-xs text-slate-500";

function ActorCell({ actor }: { actor: AuditRow["actor"] }) {
  return (
    <>
      <span className="block truncate text-slate-900">{actor.label}</span>
      <span className={SUB}>{ACTOR_KIND[actor.type]}</span>
    </>
  );
}

function TargetCell({ target }: { target: AuditRow["target"] }) {
  if (!target) return <span className="text-slate-500">—</span>;
  const text = target.label ?? `${target.type.replace("_", " ")} #${target.id}`;
  const href = targetHref(target.type, target.id);
  return (
    <>
      {href ? (
        <Link href={href} className="block truncate text-indigo-600 hover:underline">{text}</Link>
      ) : (
        <span className="block truncate">{text}</span>
      )}
      <span className={SUB}>{target.type.replace("_", " ")}</span>
    </>
  );
}

function zoneText(): string {
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset = -new Date().getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const mm = String(Math.abs(offset) % 60).padStart(2, "0");
  return `${name}, UTC${sign}${hh}:${mm}`;
}

/** The browser's time zone, shown once mounted (times render in UTC until then). */
function ZoneName() {
  const mounted = useMounted();
  return <span data-testid="audit-zone">{mounted ? zoneText() : "UTC"}</span>;
}

function Detail({ event }: { event: AuditRow }) {
  const entries = Object.entries(event.detail ?? {});
  return (
    <div className="space-y-2 text-xs">
      <p className="text-slate-500">
        Event #{event.id} · <LocalDateTime ms={event.at} seconds relative /> · <span className="font-mono">{new Date(event.at).toISOString()}</span>{event.ip ? ` · from ${event.ip}` : ""}
      </p>
      {event.count > 1 && (
        <p className="text-slate-600">
          Stands for {event.count.toLocaleString("en-US")} alike events from this address within this minute; the detail is the first one&apos;s.
        </p>
      )}
      {entries.length === 0 ? (
        <p className="text-slate-500">No further detail was recorded.</p>
      ) : (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
          {entries.map(([k, v]) => (
            <Fragment key={k}>
              <dt className="font-medium text-slate-600">{k}</dt>
              <dd className="font-mono break-all text-slate-800">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
            </Fragment>
          ))}
        </dl>
      )}
    </div>
  );
}

/** lucide's chevron-right with its presentation in classes once, not as attributes in every row; turned down when open. */
function Chevron({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden className={cn("h-4 w-4 fill-none stroke-current stroke-2 [stroke-linecap:round] [stroke-linejoin:round]", open && "rotate-90")}>
      <path d="m9 18 6-6-6-6" />
    </svg>
  );
}

/** The events, newest first; a row opens to show its whole detail. */
export function AuditTable({ events, compact = false }: { events: AuditRow[]; compact?: boolean }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const cols = compact ? 5 : 7;
  return (
    <div className="overflow-x-auto">
      <table className="w-full table-fixed text-left text-sm [&_td]:px-2 [&_td]:py-2 [&_td:first-child]:pr-0 [&_td:first-child]:pl-3 [&>tbody>tr]:border-b [&>tbody>tr]:border-slate-100">
        <thead className="border-b border-slate-200 text-xs text-slate-500">
          <tr>
            <th scope="col" className="w-8 py-2 pl-3"><span className="sr-only">Details</span></th>
            <th scope="col" className="w-48 px-2 py-2 font-medium">Time <span className="font-normal">(<ZoneName />)</span></th>
            <th scope="col" className="w-44 px-2 py-2 font-medium">Actor</th>
            <th scope="col" className="w-52 px-2 py-2 font-medium">Action</th>
            {!compact && <th scope="col" className="w-44 px-2 py-2 font-medium">Target</th>}
            <th scope="col" className="w-24 px-2 py-2 font-medium">Outcome</th>
            {!compact && <th scope="col" className="px-2 py-2 font-medium">Summary</th>}
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const isOpen = open.has(e.id);
            const summary = summarizeDetail(e.detail);
            return (
              <Fragment key={e.id}>
                <tr className="align-top hover:bg-slate-50" data-testid="audit-row" data-action={e.action} data-outcome={e.outcome}>
                  <td>
                    <button
                      type="button"
                      onClick={() => toggle(e.id)}
                      aria-expanded={isOpen}
                      aria-controls={`audit-detail-${e.id}`}
                      className="rounded p-0.5 text-slate-500 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-600"
                    >
                      <Chevron open={isOpen} />
                      <span className="sr-only">{`${isOpen ? "Hide" : "Show"} details of event ${e.id}`}</span>
                    </button>
                  </td>
                  <td className="text-slate-700"><LocalDateTime ms={e.at} seconds className="tabular-nums" /></td>
                  <td><ActorCell actor={e.actor} /></td>
                  <td>
                    <span className="block text-slate-900">{actionLabel(e.action)}</span>
                    <span className={cn("block truncate font-mono", SUB)}>{e.action}</span>
                  </td>
                  {!compact && <td><TargetCell target={e.target} /></td>}
                  <td>
                    <OutcomeBadge outcome={e.outcome} />
                    {e.count > 1 && (
                      <span className="ml-1 text-xs font-medium text-slate-600" title={`${e.count} events in this minute from this address`} data-testid="audit-repeat">
                        ×{e.count.toLocaleString("en-US")}
                      </span>
                    )}
                  </td>
                  {!compact && (
                    <td className="text-slate-600">
                      <span className="line-clamp-2 break-words">{summary || "—"}</span>
                      {e.ip && <span className={cn("block", SUB)}>IP {e.ip}</span>}
                    </td>
                  )}
                </tr>
                {isOpen && (
                  <tr id={`audit-detail-${e.id}`} className="bg-slate-50">
                    <td />
                    <td colSpan={cols - 1} className="py-3!">
                      {compact && summary && <p className="mb-2 text-xs text-slate-700">{summary}</p>}
                      <Detail event={e} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
