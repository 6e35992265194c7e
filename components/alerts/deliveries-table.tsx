import Link from "next/link";
import { Inbox } from "lucide-react";
import { Badge, Card, EmptyState } from "@/components/ui/card";
import { LocalDateTime } from "@/components/ui/local-time";
import type { AttemptDto, DeliveryDto } from "@/lib/alerts/deliveries";
import { ReplayButton } from "./replay-button";

const HEADINGS = ["Event", "Created", "State", "Attempts", "Last answer", "Next retry / delivered"];
const STATE_TONES = { pending: "amber", delivered: "green", failed: "red" } as const;
const STATE_LABELS = { pending: "Pending", delivered: "Delivered", failed: "Failed" } as const;

export type DeliveryRow = DeliveryDto & { attemptList: AttemptDto[] };

/** A destination's delivery log, newest first; each row opens onto its attempts. */
export function DeliveriesTable({
  rows,
  basePath,
  before,
  nextBefore,
  kind,
}: {
  rows: DeliveryRow[];
  basePath: string;
  before?: number;
  nextBefore: number | null;
  kind: "webhook" | "slack" | "email";
}) {
  // E-mail answers are SMTP reply codes (250, 550), not HTTP statuses.
  const protocol = kind === "email" ? "SMTP" : "HTTP";
  const pager = (
    <nav aria-label="Delivery log pages" className="flex gap-4 px-5 py-3 text-sm">
      {before !== undefined && <Link href={`${basePath}#deliveries`} className="text-indigo-600 hover:underline">← Newest</Link>}
      {nextBefore !== null && <Link href={`${basePath}?before=${nextBefore}#deliveries`} className="text-indigo-600 hover:underline">Older →</Link>}
    </nav>
  );
  if (rows.length === 0) {
    return (
      <EmptyState icon={<Inbox className="h-8 w-8" aria-hidden />} title={before === undefined ? "Nothing sent yet" : "No older deliveries"}>
        {before === undefined ? "Each event this destination takes is listed here with every attempt to send it. Send a test to see one." : pager}
      </EmptyState>
    );
  }
  return (
    <Card className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Deliveries, newest first</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {HEADINGS.map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium whitespace-nowrap">{h}</th>
            ))}
            <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} className="border-t border-slate-100 align-top" data-testid={`delivery-row-${d.id}`}>
              <td className="px-3 py-2">
                <span className="font-mono text-xs">{d.eventType}</span>
                {/* The webhook-id receivers de-duplicate on: a replay sends it again. */}
                <span className="block max-w-[14rem] truncate font-mono text-[11px] text-slate-500" title={d.eventId}>{d.eventId}</span>
              </td>
              <td className="px-3 py-2 whitespace-nowrap"><LocalDateTime ms={d.createdAt} seconds /></td>
              <td className="px-3 py-2"><Badge tone={STATE_TONES[d.state]}>{STATE_LABELS[d.state]}</Badge></td>
              <td className="px-3 py-2"><Attempts count={d.attempts} list={d.attemptList} protocol={protocol} /></td>
              <td className="px-3 py-2">
                <span className="tabular-nums whitespace-nowrap">
                  {d.lastStatus === null ? "—" : `${protocol} ${d.lastStatus}`}
                  {d.lastLatencyMs !== null && <span className="text-slate-500"> · {d.lastLatencyMs} ms</span>}
                </span>
                {d.lastError && <span className="block max-w-xs text-xs break-words text-red-700">{d.lastError}</span>}
              </td>
              <td className="px-3 py-2 whitespace-nowrap">
                {d.state === "delivered" ? <LocalDateTime ms={d.deliveredAt} seconds /> : d.state === "pending" ? <LocalDateTime ms={d.nextAttemptAt} seconds /> : "—"}
              </td>
              <td className="px-3 py-2 text-right">{d.state !== "pending" && <ReplayButton deliveryId={d.id} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pager}
    </Card>
  );
}

function Attempts({ count, list, protocol }: { count: number; list: AttemptDto[]; protocol: string }) {
  if (count === 0 || list.length === 0) return <span className="tabular-nums">{count}</span>;
  return (
    <details>
      <summary className="cursor-pointer tabular-nums text-indigo-600">{count} {count === 1 ? "attempt" : "attempts"}</summary>
      <ol className="mt-2 min-w-72 space-y-2">
        {list.map((a, i) => (
          <li key={`${a.at}-${i}`} className="rounded bg-slate-50 px-2 py-1.5 text-xs ring-1 ring-slate-200">
            <div className="flex flex-wrap gap-x-2">
              <LocalDateTime ms={a.at} seconds />
              <span className="font-medium">{a.outcome}</span>
              <span>{protocol} {a.status ?? "—"}</span>
              <span>{a.latencyMs} ms</span>
            </div>
            {a.error && <p className="mt-0.5 text-red-700">{a.error}</p>}
            {a.responseHead && <pre className="mt-0.5 max-h-24 overflow-auto font-mono whitespace-pre-wrap break-all text-slate-600">{a.responseHead}</pre>}
          </li>
        ))}
      </ol>
    </details>
  );
}
