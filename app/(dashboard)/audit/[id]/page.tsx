import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EventDetail } from "@/components/audit/event-detail";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { FactList } from "@/components/ui/fact-list";
import { LocalDateTime } from "@/components/ui/local-time";
import { requireUser } from "@/lib/auth/session";
import { auditHref } from "@/lib/audit/filters";
import { getAuditEvent } from "@/lib/audit/query";

export const metadata: Metadata = { title: "Audit event" };

const ACTOR_KIND = { user: "user", api_key: "API key", system: "system", anonymous: "anonymous" } as const;
const OUTCOME_TONE = { success: "green", failure: "red", denied: "amber" } as const;

/** One audit event on a page of its own, to link to from a ticket, a chart or a chat. Every role may read it, as the trail. */
export default async function AuditEventPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const { id } = await params;
  const event = /^\d{1,12}$/.test(id) ? await getAuditEvent(Number(id)) : null;
  if (!event) notFound();
  const target = event.target;
  const targetText = target ? (target.label ?? `${target.type.replace("_", " ")} #${target.id}`) : null;
  const facts: Array<[string, React.ReactNode]> = [
    ["Time", <span key="t" className="flex flex-col"><LocalDateTime ms={event.at} seconds relative /><span className="font-mono text-xs text-slate-500">{new Date(event.at).toISOString()}</span></span>],
    ["Actor", <span key="a">{event.actor.label} <span className="text-xs text-slate-500">({ACTOR_KIND[event.actor.type]}{event.actor.id ? ` #${event.actor.id}` : ""})</span></span>],
    ["Action", <span key="ac">{event.actionLabel} <code className="font-mono text-xs text-slate-500">{event.action}</code></span>],
    ["Outcome", <Badge key="o" tone={OUTCOME_TONE[event.outcome]}>{event.outcome}</Badge>],
    [
      "Target",
      target ? (
        <span key="tg">
          {target.href ? <Link href={target.href} className="text-indigo-600 hover:underline">{targetText}</Link> : targetText}{" "}
          <span className="text-xs text-slate-500">({target.type.replace("_", " ")})</span>
        </span>
      ) : (
        "—"
      ),
    ],
    ["Address (IP)", event.ip ? <span key="ip" className="font-mono text-xs">{event.ip}</span> : "—"],
    ["Request id", event.requestId ? <span key="r" className="font-mono text-xs break-all">{event.requestId}</span> : <span key="r" className="text-slate-500">not recorded (before this version, or outside a request)</span>],
    ["Times", event.count > 1 ? `${event.count.toLocaleString("en-US")} alike events in this minute; the detail is the first one's` : "once"],
  ];
  const related = target?.type === "connection" ? auditHref({ connection: Number(target.id) }) : null;
  return (
    <>
      <PageHeader
        title={`Event #${event.id}`}
        description={
          <>
            <Link href="/audit" className="text-indigo-600 hover:underline">Audit</Link> / {event.actionLabel}
          </>
        }
      />
      <Card className="mb-4 p-5">
        <p className="text-base font-medium break-words text-slate-900" data-testid="audit-event-sentence" data-outcome={event.outcome}>
          {event.summary}
        </p>
        <FactList facts={facts} className="mt-4" />
        {related && (
          <p className="mt-4 text-sm">
            <Link href={related} className="text-indigo-600 hover:underline">This connection&apos;s other events →</Link>
          </p>
        )}
      </Card>
      <Card className="p-5">
        <h2 className="mb-3 text-sm font-semibold text-slate-900">Detail</h2>
        <EventDetail id={event.id} detail={event.detail} />
      </Card>
    </>
  );
}
