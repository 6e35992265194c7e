import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { DeliveriesTable } from "@/components/alerts/deliveries-table";
import { DeleteDestinationButton, ResumeButton } from "@/components/alerts/destination-buttons";
import { DestinationState, DestinationTarget, EventsText, FilterText } from "@/components/alerts/destination-state";
import { EditDestinationForm } from "@/components/alerts/edit-destination-form";
import { KIND_LABELS } from "@/components/alerts/format";
import { RotateSecret } from "@/components/alerts/rotate-secret";
import { SendTest } from "@/components/alerts/send-test";
import { Alert, Card, PageHeader } from "@/components/ui/card";
import { FactList } from "@/components/ui/fact-list";
import { LocalDateTime } from "@/components/ui/local-time";
import { attemptsOf, listDeliveries } from "@/lib/alerts/deliveries";
import { getDestination } from "@/lib/alerts/destinations";
import { connectionChoices } from "@/lib/api-keys/store";
import { requirePermission } from "@/lib/auth/session";
import { listClients } from "@/lib/clients";
import { config } from "@/lib/config";

export const metadata: Metadata = { title: "Alert destination" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AlertDestinationPage({ params, searchParams }: Props) {
  await requirePermission("alerts:manage");
  const { id } = await params;
  const d = /^\d{1,12}$/.test(id) ? await getDestination(Number(id)) : undefined;
  if (!d) notFound();
  const rawBefore = (await searchParams).before;
  const before = typeof rawBefore === "string" && /^\d{1,12}$/.test(rawBefore) ? Number(rawBefore) : undefined;
  const [log, clients, connections] = await Promise.all([listDeliveries(d.id, before), listClients(), connectionChoices()]);
  // At most one page (50) of rows, each with its attempts, so every row can open without a request.
  const attempts = await attemptsOf(log.rows.filter((r) => r.attempts > 0).map((r) => r.id));
  const rows = log.rows.map((r) => ({ ...r, attemptList: attempts.get(r.id) ?? [] }));
  const smtpConfigured = Boolean(config().SMTP_URL);
  const stopped = !d.enabled || d.pausedAt !== null;

  const facts: Array<[string, ReactNode]> = [
    ["Kind", KIND_LABELS[d.kind]],
    [d.kind === "email" ? "Recipients" : "Sends to", <DestinationTarget key="t" destination={d} />],
    ["State", <DestinationState key="s" destination={d} />],
    ["Pending deliveries", d.pending.toLocaleString("en-US")],
    ["Events", <EventsText key="e" events={d.events} />],
    ["Filter", <FilterText key="f" destination={d} />],
    ["Added", <LocalDateTime key="c" ms={d.createdAt} />],
  ];
  return (
    <>
      <PageHeader
        title={d.name}
        description={
          <>
            <Link href="/settings" className="text-indigo-600 hover:underline">Settings</Link> /{" "}
            <Link href="/settings/alerts" className="text-indigo-600 hover:underline">Alerts</Link> / {KIND_LABELS[d.kind]}
          </>
        }
        actions={
          <>
            {stopped && <ResumeButton id={d.id} />}
            <DeleteDestinationButton id={d.id} name={d.name} />
          </>
        }
      />
      <div className="space-y-6">
        {d.pausedAt !== null && d.enabled && (
          <Alert tone="amber">
            Paused <LocalDateTime ms={d.pausedAt} />: {d.pauseReason ?? "every delivery failed for days."} Nothing is sent until it is
            resumed; events wait as pending deliveries.
          </Alert>
        )}
        <Card className="p-5">
          <FactList facts={facts} className="lg:grid-cols-4" />
          <p className="mt-4 text-xs text-slate-500">
            Adding, changing, testing and deleting destinations is recorded in the{" "}
            <Link href="/audit?action=alerts" className="text-indigo-600 hover:underline">audit trail</Link>.
          </p>
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <SendTest id={d.id} kind={d.kind} />
          {d.kind === "webhook" && <RotateSecret id={d.id} name={d.name} previousSecretUntil={d.previousSecretUntil} />}
        </div>
        <section aria-labelledby="deliveries" className="space-y-2">
          <h2 id="deliveries" className="text-sm font-semibold">Delivery log</h2>
          <DeliveriesTable rows={rows} basePath={`/settings/alerts/${d.id}`} before={before} nextBefore={log.nextBefore} kind={d.kind} />
        </section>
        <section aria-labelledby="edit-destination" className="space-y-2">
          <h2 id="edit-destination" className="text-sm font-semibold">Edit destination</h2>
          <EditDestinationForm destination={d} choices={{ clients: clients.map((c) => ({ id: c.id, name: c.name })), connections }} smtpConfigured={smtpConfigured} />
        </section>
      </div>
    </>
  );
}
