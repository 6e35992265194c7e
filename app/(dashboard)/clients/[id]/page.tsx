import type { Metadata } from "next";
import Link from "next/link";
import { FactList } from "@/components/ui/fact-list";
import { LocalDateTime } from "@/components/ui/local-time";
import { notFound } from "next/navigation";
import { DeleteClientButton } from "@/components/clients/client-actions";
import { RefreshTokenHistoryChart } from "@/components/charts/refresh-token-history-chart";
import { ClientForm } from "@/components/clients/client-form";
import { RedirectUriBox } from "@/components/clients/redirect-uri-box";
import { ReadOnlyNote } from "@/components/layout/read-only-note";
import { Alert, Badge, Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { getClient } from "@/lib/clients";
import { can } from "@/lib/rbac";
import { refreshTokenHistory } from "@/lib/tokens/refresh-token-history";
import { availableRealms, REALM_LABELS, redirectUri } from "@/lib/realm";
import { updateClientAction } from "../actions";

export const metadata: Metadata = { title: "Client" };

export default async function ClientPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ created?: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const { created } = await searchParams;
  const client = /^\d{1,12}$/.test(id) ? await getClient(Number(id)) : undefined;
  if (!client) notFound();
  const admin = can(user.role, "clients:manage");
  const history = await refreshTokenHistory(client.id);
  const facts: Array<[string, React.ReactNode]> = [
    ["Realm", <Badge key="r" tone={client.realm === "sandbox" ? "amber" : "blue"}>{REALM_LABELS[client.realm]}</Badge>],
    ["Type", client.clientType === "server" ? "Server-based application" : "Self client"],
    ["Client ID", <span key="c" className="font-mono text-xs">{client.clientId}</span>],
    ["Client secret", <span key="s" className="font-mono text-xs">{client.secretMasked}</span>],
    ["Secret last replaced", <LocalDateTime key="t" ms={Date.parse(client.secretUpdatedAt)} relative />],
    ["Home DC", client.homeDc],
    ["Enabled DCs", client.multiDc ? client.enabledDcs.join(", ") : `${client.homeDc} only`],
    ["Connections", `${client.connectionCount}${client.attentionCount ? ` (${client.attentionCount} need attention)` : ""}`],
  ];
  return (
    <>
      <PageHeader
        title={client.name}
        description={
          <>
            <Link href="/clients" className="text-indigo-600 hover:underline">Clients</Link> / {client.description || "Zoho OAuth client"}
          </>
        }
        actions={
          admin ? (
            <DeleteClientButton id={client.id} name={client.name} liveConnections={client.connectionCount} />
          ) : (
            <ReadOnlyNote label={user.role === "viewer" ? "Read-only role" : "Admins only"} need="Editing or deleting a client needs an admin." />
          )
        }
      />
      {created && (
        <div className="mb-4">
          <Alert tone="green">
            Client registered.{" "}
            {client.clientType === "server"
              ? "Check the redirect URI below is the one registered in Zoho's console, then "
              : "Generate a code in Zoho's API console, then "}
            <Link
              href={client.clientType === "server" ? `/connections/new?client=${client.id}` : `/connections/self-client?client=${client.id}`}
              className="font-medium underline"
            >
              {client.clientType === "server" ? "create a connection" : "exchange it for a connection"}
            </Link>
            .
          </Alert>
        </div>
      )}
      <div className="grid gap-6 xl:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="space-y-6">
          <Card className="p-5">
            <FactList facts={facts} />
          </Card>
          <RefreshTokenHistoryChart data={history} />
          {admin && (
            <section aria-labelledby="edit-client">
              <h2 id="edit-client" className="mb-2 text-sm font-semibold">Edit client</h2>
              <ClientForm action={updateClientAction} client={client} realms={availableRealms()} />
            </section>
          )}
        </div>
        <RedirectUriBox uri={redirectUri()} clientType={client.clientType} />
      </div>
    </>
  );
}
