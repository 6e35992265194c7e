import Link from "next/link";
import { Card } from "@/components/ui/card";
import { LocalDateTime } from "@/components/ui/local-time";
import type { IncidentDto } from "@/lib/alerts/incident-queries";
import { durationText, RESOLUTION_LABELS } from "./format";
import { IncidentKind } from "./incidents-table";

/** A connection's open and recent incidents, beside its history; nothing at all when it has none. */
export function ConnectionIncidents({ incidents, now }: { incidents: IncidentDto[]; now: number }) {
  if (incidents.length === 0) return null;
  return (
    <Card>
      <div className="flex flex-wrap items-baseline justify-between gap-2 px-5 pt-4 pb-2">
        <h2 className="text-sm font-semibold text-slate-900" id="connection-incidents">Incidents</h2>
        <Link href="/incidents" className="text-sm text-indigo-600 hover:underline">All incidents →</Link>
      </div>
      <ul aria-labelledby="connection-incidents" className="divide-y divide-slate-100 px-5 pb-3 text-sm" data-testid="connection-incidents">
        {incidents.map((i) => (
          <li key={i.id} className="flex flex-wrap items-start gap-x-3 gap-y-1 py-2">
            <IncidentKind kind={i.kind} />
            <span className="min-w-0 flex-1 text-slate-700">{i.cause}</span>
            <span className="text-xs text-slate-500">
              <LocalDateTime ms={i.openedAt} />
              {i.resolvedAt === null
                ? `, open for ${durationText(now - i.openedAt)}`
                : `, ${durationText(i.resolvedAt - i.openedAt)}, ${(i.resolution && RESOLUTION_LABELS[i.resolution]) ?? "resolved"}`}
            </span>
            <Link href={`/incidents#incident-${i.id}`} className="text-xs text-indigo-600 hover:underline">Details</Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}
