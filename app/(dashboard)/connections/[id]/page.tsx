import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ConsumersCard } from "@/components/api-keys/consumers-card";
import { ConnectionIncidents } from "@/components/alerts/connection-incidents";
import { ConnectionHistory } from "@/components/audit/connection-history";
import { ConnectionLinksCard } from "@/components/connect-links/connection-links-card";
import { TokenTimelineChart } from "@/components/charts/token-timeline-chart";
import { ConnectionDetail } from "@/components/connections/connection-detail";
import { ConnectionTags } from "@/components/connections/connection-tags";
import { PageHeader } from "@/components/ui/card";
import { listIncidents } from "@/lib/alerts/incident-queries";
import { consumersOf } from "@/lib/api-keys/usage";
import { requireUser } from "@/lib/auth/session";
import { clientFacts } from "@/lib/clients";
import { config } from "@/lib/config";
import { linksOfConnection } from "@/lib/connect-links/view";
import { connectionSnapshot } from "@/lib/connections/queries";
import { connectionHistory } from "@/lib/audit/query";
import { can } from "@/lib/rbac";
import { tokenTimeline } from "@/lib/tokens/timeline";

export const metadata: Metadata = { title: "Connection" };

export default async function ConnectionPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const id = Number((await params).id);
  const snapshot = Number.isSafeInteger(id) && id > 0 ? await connectionSnapshot(id) : undefined;
  if (!snapshot) notFound();
  const { connection, generatedAt } = snapshot;
  const [timeline, history, consumers, links, client] = await Promise.all([
    tokenTimeline(id, generatedAt),
    connectionHistory(id),
    consumersOf(id),
    linksOfConnection(id, generatedAt),
    clientFacts(connection.client.id),
  ]);
  // A reconnect link goes through the client's consent page, which self clients do not have.
  const reconnectLink = can(user.role, "connections:connect") && client?.clientType === "server" ? { smtpConfigured: Boolean(config().SMTP_URL) } : null;
  const incidents = await listIncidents({ connectionId: id, limit: 20 }, generatedAt);
  const who = connection.zohoUser.email ?? connection.zohoUser.zuid ?? "unknown Zoho user";
  return (
    <>
      <PageHeader
        title={connection.name}
        description={
          <>
            <Link href="/connections" className="text-indigo-600 hover:underline">Connections</Link> / {who} · {connection.client.name} ·{" "}
            {connection.dcLabel}
          </>
        }
      />
      <ConnectionTags connectionId={id} tags={connection.tags} canEdit={can(user.role, "connections:operate")} />
      <ConnectionDetail
        initial={connection}
        generatedAt={generatedAt}
        canOperate={can(user.role, "connections:operate")}
        reconnectLink={reconnectLink}
      />
      <div className="mt-6 space-y-6">
        <TokenTimelineChart data={timeline} />
        <ConsumersCard consumers={consumers} canManageKeys={can(user.role, "keys:manage")} />
        <ConnectionLinksCard links={links} connectionId={id} />
        <ConnectionIncidents incidents={incidents} now={generatedAt} />
        <ConnectionHistory connectionId={id} page={history} />
      </div>
    </>
  );
}
