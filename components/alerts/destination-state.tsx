import { Badge } from "@/components/ui/card";
import { LocalDateTime } from "@/components/ui/local-time";
import type { DestinationDto } from "@/lib/alerts/destinations";
import { destinationState } from "./format";

/** "Active", "Paused since …", "Failing since …", "Off": the same words on the list and the page. */
export function DestinationState({ destination }: { destination: Pick<DestinationDto, "enabled" | "pausedAt" | "failingSince"> }) {
  const s = destinationState(destination);
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone={s.tone}>{s.label}</Badge>
      {s.since !== null && (
        <span className="text-xs text-slate-600">
          since <LocalDateTime ms={s.since} />
        </span>
      )}
    </span>
  );
}

/** Where a destination sends: the URL's scheme and host only, or the recipients. */
export function DestinationTarget({ destination: d }: { destination: Pick<DestinationDto, "kind" | "urlHint" | "emails"> }) {
  if (d.kind === "email") return <span className="break-all">{d.emails.join(", ") || "—"}</span>;
  return <span className="font-mono text-xs break-all">{d.urlHint ?? "—"}</span>;
}

export function EventsText({ events }: { events: readonly string[] }) {
  if (events.length === 0) return <span>All events</span>;
  return (
    <ul className="space-y-0.5">
      {events.map((e) => (
        <li key={e} className="font-mono text-xs">{e}</li>
      ))}
    </ul>
  );
}

export function FilterText({ destination: d }: { destination: Pick<DestinationDto, "client" | "connection"> }) {
  if (!d.client && !d.connection) return <span className="text-slate-500">Any</span>;
  return (
    <span className="space-y-0.5">
      {d.client && <span className="block">Client: {d.client.name}</span>}
      {d.connection && <span className="block">Connection: {d.connection.name}</span>}
    </span>
  );
}
