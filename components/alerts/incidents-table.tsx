import Link from "next/link";
import { Badge, Card } from "@/components/ui/card";
import { LocalDateTime } from "@/components/ui/local-time";
import type { IncidentDto } from "@/lib/alerts/incident-queries";
import { durationText, RESOLUTION_LABELS } from "./format";

export function IncidentKind({ kind }: { kind: IncidentDto["kind"] }) {
  return kind === "terminal" ? <Badge tone="red">Terminal</Badge> : <Badge tone="amber">Temporary</Badge>;
}

const th = "px-4 py-2 font-medium whitespace-nowrap";
// `#incident-<id>` links (alerts, the connection page) land on the row and mark it.
const rowClass = "scroll-mt-20 border-t border-slate-100 align-top target:bg-amber-50";

/** Open incidents, or resolved ones (`now` gives open ones their duration so far). */
export function IncidentsTable({ incidents, resolved, now, caption }: { incidents: IncidentDto[]; resolved: boolean; now: number; caption: string }) {
  return (
    <Card className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className={th}>Connection</th>
            <th scope="col" className={th}>Kind</th>
            <th scope="col" className={th}>Cause</th>
            <th scope="col" className={th}>Failures</th>
            <th scope="col" className={th}>Opened</th>
            {resolved && <th scope="col" className={th}>Resolved</th>}
            <th scope="col" className={th}>{resolved ? "Duration" : "Open for"}</th>
            {resolved && <th scope="col" className={th}>Resolution</th>}
          </tr>
        </thead>
        <tbody>
          {incidents.map((i) => (
            <tr key={i.id} id={`incident-${i.id}`} className={rowClass}>
              <td className="px-4 py-3">
                <Link href={`/connections/${i.connection.id}`} className="font-medium text-indigo-600 hover:underline">{i.connection.name}</Link>
              </td>
              <td className="px-4 py-3"><IncidentKind kind={i.kind} /></td>
              <td className="max-w-md px-4 py-3 text-slate-700">{i.cause}</td>
              <td className="px-4 py-3 tabular-nums">{i.failures}</td>
              <td className="px-4 py-3"><LocalDateTime ms={i.openedAt} /></td>
              {resolved && <td className="px-4 py-3"><LocalDateTime ms={i.resolvedAt} /></td>}
              <td className="px-4 py-3 whitespace-nowrap tabular-nums">{durationText((i.resolvedAt ?? now) - i.openedAt)}</td>
              {resolved && <td className="px-4 py-3">{i.resolution ? (RESOLUTION_LABELS[i.resolution] ?? i.resolution) : "—"}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/** On the Overview while any incident is open: not dismissable, it goes when the incidents do. */
export function OpenIncidentsBanner({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <div role="status" className="mb-6 flex flex-wrap items-center justify-between gap-2 rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200" data-testid="open-incidents-banner">
      <span className="font-medium">{count === 1 ? "1 open incident" : `${count} open incidents`}</span>
      <Link href="/incidents" className="font-medium underline hover:no-underline">See incidents</Link>
    </div>
  );
}
