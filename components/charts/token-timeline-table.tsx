"use client";
import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { TimelineMarker } from "@/lib/charts/types";
import { Swatch, TABLE } from "./chart-parts";
import { LocalDateTime } from "@/components/ui/local-time";
import { auditEventHref } from "@/lib/audit/event-href";
import { MARKER_KINDS, type LifeRow } from "./token-timeline-rows";

/** The timeline as tables: one row per token life, then the events that marked them. */
export function TokenTimelineTable({ rows, markers }: { rows: LifeRow[]; markers: TimelineMarker[] }) {
  return (
    <div className="space-y-5">
      <table className={TABLE.table} data-testid="token-timeline-table">
        <caption className={TABLE.caption}>Access tokens of this connection, oldest first</caption>
        <thead className={TABLE.head}>
          <tr>
            <th scope="col" className={TABLE.th}>#</th>
            <th scope="col" className={TABLE.th}>How minted</th>
            <th scope="col" className={TABLE.th}>Token</th>
            <th scope="col" className={TABLE.th}>Minted</th>
            <th scope="col" className={TABLE.th}>Ended / expires</th>
            <th scope="col" className={TABLE.th}>End</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.life.id} className={TABLE.row} data-testid="token-life-row" data-end-reason={r.reasonCode}>
              <td className={cn(TABLE.td, "tabular-nums")}>#{r.n}</td>
              <td className={TABLE.td}>{r.via}</td>
              <td className={cn(TABLE.td, "font-mono text-xs")}>{r.life.last4 ? `••••${r.life.last4}` : "—"}</td>
              <td className={TABLE.td}>
                <LocalDateTime ms={r.life.mintedAt} seconds />
              </td>
              <td className={TABLE.td}>
                {r.endAt !== null ? (
                  <LocalDateTime ms={r.endAt} seconds />
                ) : (
                  <>
                    <span className="text-slate-500">expires </span>
                    <LocalDateTime ms={r.life.expiresAt} seconds />
                  </>
                )}
              </td>
              <td className={TABLE.td}>
                <Swatch color={r.color} />
                {r.reasonText}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {markers.length > 0 && (
        <table className={TABLE.table} data-testid="timeline-markers-table">
          <caption className={TABLE.caption}>Events on the timeline</caption>
          <thead className={TABLE.head}>
            <tr>
              <th scope="col" className={TABLE.th}>Time</th>
              <th scope="col" className={TABLE.th}>Event</th>
              <th scope="col" className={TABLE.th}>Detail</th>
              <th scope="col" className={TABLE.th}>By</th>
              <th scope="col" className={TABLE.th}>
                <span className="sr-only">Audit event</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {markers.map((m) => (
              <tr key={m.id} className={TABLE.row} data-testid="timeline-marker-row" data-kind={m.kind}>
                <td className={TABLE.td}>
                  <LocalDateTime ms={m.at} seconds />
                </td>
                <td className={cn(TABLE.td, "whitespace-nowrap")}>
                  <Swatch color={MARKER_KINDS[m.kind]?.color ?? "#64748b"} />
                  {MARKER_KINDS[m.kind]?.name ?? m.kind}
                </td>
                <td className={TABLE.td}>{m.label}</td>
                <td className={TABLE.td}>{m.actor}</td>
                <td className={TABLE.td}>
                  <Link href={auditEventHref(m.id)} className="whitespace-nowrap text-indigo-700 hover:underline" aria-label={`Open the audit event: ${m.label}`}>
                    Open
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
