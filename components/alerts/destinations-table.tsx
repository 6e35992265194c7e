import Link from "next/link";
import { BellRing } from "lucide-react";
import { Alert, Card, EmptyState } from "@/components/ui/card";
import { LocalDateTime } from "@/components/ui/local-time";
import type { DestinationDto } from "@/lib/alerts/destinations";
import { DestinationState, DestinationTarget, EventsText, FilterText } from "./destination-state";
import { KIND_LABELS } from "./format";

const HEADINGS = ["Name", "Kind", "Sends to", "Events", "Filter", "State", "Pending"];

export function DestinationsTable({ destinations }: { destinations: DestinationDto[] }) {
  if (destinations.length === 0) {
    return (
      <EmptyState icon={<BellRing className="h-8 w-8" aria-hidden />} title="No alert destinations yet">
        Add a webhook, a Slack channel or e-mail recipients with the form below, and the console tells them when a connection fails to refresh, needs
        reconnecting or recovers.
      </EmptyState>
    );
  }
  return (
    <Card className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Alert destinations</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {HEADINGS.map((h) => (
              <th key={h} scope="col" className="px-4 py-2 font-medium whitespace-nowrap">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {destinations.map((d) => (
            <tr key={d.id} className="border-t border-slate-100 align-top" data-testid={`alert-destination-row-${d.id}`}>
              <td className="px-4 py-3">
                <Link href={`/settings/alerts/${d.id}`} className="font-medium text-indigo-600 hover:underline">{d.name}</Link>
              </td>
              <td className="px-4 py-3 whitespace-nowrap">{KIND_LABELS[d.kind]}</td>
              <td className="px-4 py-3"><DestinationTarget destination={d} /></td>
              <td className="px-4 py-3"><EventsText events={d.events} /></td>
              <td className="px-4 py-3"><FilterText destination={d} /></td>
              <td className="px-4 py-3"><DestinationState destination={d} /></td>
              <td className="px-4 py-3 tabular-nums">{d.pending.toLocaleString("en-US")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/** At the top of the page while any destination is paused: alerts are piling up unsent. */
export function PausedNotice({ destinations }: { destinations: DestinationDto[] }) {
  const paused = destinations.filter((d) => d.enabled && d.pausedAt !== null);
  if (paused.length === 0) return null;
  return (
    <Alert tone="amber">
      <p className="font-medium">
        {paused.length === 1 ? "One destination is paused: its" : `${paused.length} destinations are paused: their`} alerts wait unsent until resumed.
      </p>
      <ul className="mt-1 space-y-1">
        {paused.map((d) => (
          <li key={d.id}>
            <Link href={`/settings/alerts/${d.id}`} className="font-medium underline">{d.name}</Link>, paused <LocalDateTime ms={d.pausedAt} />:{" "}
            {d.pauseReason ?? "every delivery failed for days. Fix the receiver, send a test, then resume it."}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
