import type { Metadata } from "next";
import Link from "next/link";
import { CreateDestinationForm } from "@/components/alerts/create-destination-form";
import { DestinationsTable, PausedNotice } from "@/components/alerts/destinations-table";
import { KindsExplained } from "@/components/alerts/kinds-explained";
import { PageHeader } from "@/components/ui/card";
import { listDestinations } from "@/lib/alerts/destinations";
import { connectionChoices } from "@/lib/api-keys/store";
import { requirePermission } from "@/lib/auth/session";
import { listClients } from "@/lib/clients";
import { config } from "@/lib/config";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  await requirePermission("alerts:manage");
  const [destinations, clients, connections] = await Promise.all([listDestinations(), listClients(), connectionChoices()]);
  const smtpConfigured = Boolean(config().SMTP_URL);
  const choices = { clients: clients.map((c) => ({ id: c.id, name: c.name })), connections };
  return (
    <>
      <PageHeader
        title="Alerts"
        description={
          <>
            <Link href="/settings" className="text-indigo-600 hover:underline">Settings</Link> / Where the console sends word when a
            connection fails to refresh, needs reconnecting or recovers, and the other events below. What is open now is on{" "}
            <Link href="/incidents" className="text-indigo-600 hover:underline">Incidents</Link>.
          </>
        }
      />
      <div className="space-y-6">
        <PausedNotice destinations={destinations} />
        <section aria-labelledby="destinations-heading" className="space-y-2">
          <h2 id="destinations-heading" className="text-sm font-semibold">Destinations</h2>
          <DestinationsTable destinations={destinations} />
        </section>
        <KindsExplained smtpConfigured={smtpConfigured} />
        <CreateDestinationForm choices={choices} smtpConfigured={smtpConfigured} />
      </div>
    </>
  );
}
