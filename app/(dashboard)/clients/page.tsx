import type { Metadata } from "next";
import Link from "next/link";
import { KeyRound } from "lucide-react";
import { AddSandboxDemoButton } from "@/components/clients/client-actions";
import { ReadOnlyNote } from "@/components/layout/read-only-note";
import { buttonClass } from "@/components/ui/button";
import { Alert, Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { listClients } from "@/lib/clients";
import { can } from "@/lib/rbac";
import { REALM_LABELS, sandboxConfigured } from "@/lib/realm";

export const metadata: Metadata = { title: "Clients" };

export default async function ClientsPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const user = await requireUser();
  const { deleted } = await searchParams;
  const clients = await listClients();
  const admin = can(user.role, "clients:manage");
  const newButton = admin ? (
    <Link href="/clients/new" className={buttonClass()}>
      New client
    </Link>
  ) : (
    <ReadOnlyNote label={user.role === "viewer" ? "Read-only role" : "Admins only"} need="Registering and changing Zoho clients needs an admin." />
  );
  return (
    <>
      <PageHeader title="Clients" description="The OAuth clients registered in Zoho's API console, with their data centres." actions={newButton} />
      {deleted && (
        <div className="mb-4">
          <Alert tone="green">The client was deleted.</Alert>
        </div>
      )}
      {clients.length === 0 ? (
        <EmptyState
          icon={<KeyRound className="h-8 w-8" aria-hidden />}
          title="No Zoho clients registered"
          action={
            admin ? (
              <>
                {sandboxConfigured() && <AddSandboxDemoButton />}
                <Link href="/clients/new" className={buttonClass(sandboxConfigured() ? "secondary" : "primary")}>
                  Register a client
                </Link>
              </>
            ) : undefined
          }
        >
          {admin
            ? sandboxConfigured()
              ? "Register the client you created in Zoho's API console, or start with the local sandbox's demo client to reach a working connection in a minute."
              : "Register the client you created in Zoho's API console to start connecting."
            : "An admin registers Zoho clients here. Ask one to add the client your team needs."}
        </EmptyState>
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Zoho clients</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Name</th>
                <th scope="col" className="px-4 py-2 font-medium">Realm</th>
                <th scope="col" className="px-4 py-2 font-medium">Type</th>
                <th scope="col" className="px-4 py-2 font-medium">Home DC</th>
                <th scope="col" className="px-4 py-2 font-medium">Enabled DCs</th>
                <th scope="col" className="px-4 py-2 font-medium">Connections</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => (
                <tr key={c.id} className="border-t border-slate-100 hover:bg-slate-50">
                  <td className="px-4 py-3">
                    <Link href={`/clients/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                      {c.name}
                    </Link>
                    <div className="font-mono text-xs text-slate-500">{c.clientId}</div>
                  </td>
                  <td className="px-4 py-3">
                    <Badge tone={c.realm === "sandbox" ? "amber" : "blue"}>{REALM_LABELS[c.realm]}</Badge>
                  </td>
                  <td className="px-4 py-3">{c.clientType === "server" ? "Server-based" : "Self client"}</td>
                  <td className="px-4 py-3 font-mono text-xs">{c.homeDc}</td>
                  <td className="px-4 py-3 font-mono text-xs">{c.multiDc ? c.enabledDcs.join(", ") : `${c.homeDc} only`}</td>
                  <td className="px-4 py-3">
                    {c.connectionCount}
                    {c.attentionCount > 0 && (
                      <span className="ml-2">
                        <Badge tone="red">{c.attentionCount} need attention</Badge>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      {admin && clients.length > 0 && sandboxConfigured() && !clients.some((c) => c.realm === "sandbox") && (
        <div className="mt-4 flex items-center gap-3 text-sm text-slate-600">
          Want to try a flow without touching production Zoho? <AddSandboxDemoButton variant="secondary" />
        </div>
      )}
    </>
  );
}
