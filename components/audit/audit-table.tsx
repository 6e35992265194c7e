"use client";
import Link from "next/link";
import { Fragment, useState } from "react";
import { LocalDateTime, useMounted } from "@/components/ui/local-time";
import { actionLabel, targetHref } from "@/lib/audit/actions";
import { auditEventHref } from "@/lib/audit/filters";
import type { AuditRow } from "@/lib/audit/rows";
import { EventDetail } from "./event-detail";

const ACTOR_KIND = { user: "user", api_key: "API key", system: "system", anonymous: "anonymous" } as const;

// A page repeats these cells 50 times, so each keeps only what differs: the look of a cell's main
// line (<span>, a link), its sub-line (<small>), the action's key (<code>), the outcome pill (<b>,
// coloured by the row's data-outcome) and the detail toggle sits once on the table (ROW_LOOK).

function ActorCell({ actor }: { actor: AuditRow["actor"] }) {
  return (
    <>
      <span>{actor.label}</span>
      <small>{ACTOR_KIND[actor.type]}</small>
    </>
  );
}

function TargetCell({ target }: { target: AuditRow["target"] }) {
  if (!target) return <span className="max-md:hidden!">—</span>;
  const text = target.label ?? `${target.type.replace("_", " ")} #${target.id}`;
  const href = targetHref(target.type, target.id);
  return (
    <>
      {href ? <Link href={href}>{text}</Link> : <span>{text}</span>}
      <small>{target.type.replace("_", " ")}</small>
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

function Detail({ event, summary }: { event: AuditRow; summary: string }) {
  return (
    <div className="min-w-0 space-y-2 text-xs">
      {summary && <p className="text-sm text-slate-800">{summary}</p>}
      <p className="text-slate-500">
        <Link href={auditEventHref(event.id)} className="text-indigo-600 hover:underline">Event #{event.id}</Link> · <LocalDateTime ms={event.at} seconds relative /> ·{" "}
        <span className="font-mono">{new Date(event.at).toISOString()}</span>
        {event.ip ? ` · from ${event.ip}` : ""}
      </p>
      {event.count > 1 && (
        <p className="text-slate-600">
          Stands for {event.count.toLocaleString("en-US")} alike events from this address within this minute; the detail is the first one&apos;s.
        </p>
      )}
      <EventDetail id={event.id} detail={event.detail} />
    </div>
  );
}

/** lucide's chevron-right; its look (and its turn when the row is open) sits on the table. */
const CHEVRON = (
  <svg viewBox="0 0 24 24" aria-hidden>
    <path d="m9 18 6-6-6-6" />
  </svg>
);

/**
 * The look of every row, written once on the table. From `md` up, a table; below it each event is
 * a card: the action and its outcome on the first line, then target, time, actor and summary.
 * Cells are found by position (the action is the 4th, the time the 2nd, the actor the 3rd, the
 * target the 5th of the full table) and the outcome by its pill, so `compact` (no target and no
 * summary column: the sentence sits under the action) takes the same rules.
 */
const ROW_LOOK = [
  "w-full table-fixed text-left text-sm max-md:block max-md:[&>tbody]:block",
  "[&_td]:px-2 [&_td]:py-2 [&_td:first-child]:pr-0 [&_td:first-child]:pl-3 [&>tbody>tr]:border-b [&>tbody>tr]:border-slate-100",
  "[&_tr[data-outcome]]:align-top [&_tr[data-outcome]:hover]:bg-slate-50",
  "[&_td>span]:block [&_td>span]:truncate [&_td>span]:text-slate-900 [&_td>a]:block [&_td>a]:truncate [&_td>a]:text-indigo-600 [&_td>a:hover]:underline",
  "[&_td>small]:block [&_td>small]:truncate [&_td>small]:text-xs [&_td>small]:text-slate-500 [&_time]:text-slate-700 [&_time]:tabular-nums [&_a>time]:text-indigo-600",
  "[&_td>code]:block [&_td>code]:truncate [&_td>code]:font-mono [&_td>code]:text-xs [&_td>code]:text-slate-500",
  "[&_td>p]:break-words [&_td>p]:text-slate-700 [&_[data-outcome=failure]_td>p]:text-red-700 [&_[data-outcome=denied]_td>p]:text-amber-800",
  "[&_td>b]:inline-flex [&_td>b]:rounded-full [&_td>b]:px-2 [&_td>b]:py-0.5 [&_td>b]:text-xs [&_td>b]:font-medium [&_td>b]:ring-1 [&_td>b]:ring-inset",
  "[&_[data-outcome=success]_b]:bg-emerald-50 [&_[data-outcome=success]_b]:text-emerald-700 [&_[data-outcome=success]_b]:ring-emerald-200",
  "[&_[data-outcome=failure]_b]:bg-red-50 [&_[data-outcome=failure]_b]:text-red-700 [&_[data-outcome=failure]_b]:ring-red-200",
  "[&_[data-outcome=denied]_b]:bg-amber-50 [&_[data-outcome=denied]_b]:text-amber-800 [&_[data-outcome=denied]_b]:ring-amber-200",
  "[&_td>button]:rounded [&_td>button]:p-0.5 [&_td>button]:text-slate-500 [&_td>button:hover]:bg-slate-200",
  "[&_svg]:h-4 [&_svg]:w-4 [&_svg]:fill-none [&_svg]:stroke-current [&_svg]:stroke-2 [&_svg]:[stroke-linecap:round] [&_svg]:[stroke-linejoin:round] [&_[aria-expanded=true]_svg]:rotate-90",
  // Below md: cards.
  "max-md:[&_tr[data-outcome]]:grid max-md:[&_tr[data-outcome]]:grid-cols-[1.75rem_minmax(0,1fr)_auto] max-md:[&_tr[data-outcome]]:gap-x-2 max-md:[&_tr[data-outcome]]:gap-y-0.5 max-md:[&_tr[data-outcome]]:py-3 max-md:[&_tr[data-outcome]]:pr-3",
  "max-md:[&_td]:p-0! max-md:[&_td]:col-[2/-1] max-md:[&_td]:wrap-anywhere max-md:[&_td:nth-child(1)]:col-[1] max-md:[&_td:nth-child(1)]:pl-2!",
  "max-md:[&_td:nth-child(4)]:order-1 max-md:[&_td:nth-child(4)]:col-[2] max-md:[&_td:has(>b)]:order-2 max-md:[&_td:has(>b)]:col-[3]",
  "max-md:[&_td:nth-child(5):not(:last-child)]:order-3 max-md:[&_td:nth-child(2)]:order-4 max-md:[&_td:nth-child(3)]:order-5 max-md:[&_td:nth-child(7)]:order-6",
  "max-md:[&_td>span]:inline max-md:[&_td>a]:inline max-md:[&_td>small]:inline max-md:[&_td>small]:ml-1.5 max-md:[&_td>p+small]:ml-0 max-md:[&_td>span]:font-medium max-md:[&_td>code]:hidden max-md:[&_time]:text-xs",
  "max-md:[&_tr[id]]:block max-md:[&_tr[id]>td:first-child]:hidden max-md:[&_tr[id]>td]:px-3!",
].join(" ");

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
      <table className={ROW_LOOK}>
        <thead className="border-b border-slate-200 text-xs text-slate-500 max-md:hidden">
          <tr>
            <th scope="col" className="w-8 py-2 pl-3"><span className="sr-only">Details</span></th>
            <th scope="col" className="w-44 px-2 py-2 font-medium">Time <span className="font-normal">(<ZoneName />)</span></th>
            <th scope="col" className="w-40 px-2 py-2 font-medium">Actor</th>
            <th scope="col" className={compact ? "px-2 py-2 font-medium" : "w-44 px-2 py-2 font-medium"}>{compact ? "What happened" : "Action"}</th>
            {!compact && <th scope="col" className="w-36 px-2 py-2 font-medium">Target</th>}
            <th scope="col" className="w-24 px-2 py-2 font-medium">Outcome</th>
            {!compact && <th scope="col" className="px-2 py-2 font-medium">Summary</th>}
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const isOpen = open.has(e.id);
            const summary = e.summary;
            return (
              <Fragment key={e.id}>
                <tr data-testid="audit-row" data-action={e.action} data-outcome={e.outcome}>
                  <td>
                    <button type="button" onClick={() => toggle(e.id)} aria-expanded={isOpen} aria-controls={`audit-detail-${e.id}`}>
                      {CHEVRON}
                      <span className="sr-only">{`${isOpen ? "Hide" : "Show"} details of event ${e.id}`}</span>
                    </button>
                  </td>
                  <td>
                    <Link href={auditEventHref(e.id)} title={`Event #${e.id}: its own page`} data-testid="audit-permalink" className="min-h-6 max-md:inline-flex! max-md:items-center">
                      <LocalDateTime ms={e.at} seconds className="" />
                    </Link>
                  </td>
                  <td><ActorCell actor={e.actor} /></td>
                  <td>
                    <span>{actionLabel(e.action)}</span>
                    {compact ? <p>{summary}</p> : <code>{e.action}</code>}
                  </td>
                  {!compact && <td><TargetCell target={e.target} /></td>}
                  <td>
                    <b>{e.outcome}</b>
                    {e.count > 1 && (
                      <small title={`${e.count} events in this minute from this address`} data-testid="audit-repeat">
                        ×{e.count.toLocaleString("en-US")}
                      </small>
                    )}
                  </td>
                  {!compact && (
                    <td>
                      {summary ? <p>{summary}</p> : <p className="max-md:hidden!">—</p>}
                      {e.ip && <small>IP {e.ip}</small>}
                    </td>
                  )}
                </tr>
                {isOpen && (
                  <tr id={`audit-detail-${e.id}`} className="bg-slate-50">
                    <td />
                    <td colSpan={cols - 1} className="py-3!">
                      <Detail event={e} summary="" />
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
