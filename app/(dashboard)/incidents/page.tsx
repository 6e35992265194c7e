import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ShieldCheck } from "lucide-react";
import { IncidentsTable } from "@/components/alerts/incidents-table";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { PageSkeleton, TableSkeleton } from "@/components/ui/skeleton";
import { listIncidents } from "@/lib/alerts/incident-queries";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/rbac";

export const metadata: Metadata = { title: "Incidents" };

export default async function IncidentsPage() {
  // Before the boundary streams, so a signed-out visitor is redirected instead of half a page.
  const user = await requireUser();
  return (
    <Suspense fallback={<PageSkeleton title="Incidents" waitingFor="Loading incidents…"><TableSkeleton rows={5} /></PageSkeleton>}>
      <Incidents canManageAlerts={can(user.role, "alerts:manage")} />
    </Suspense>
  );
}

// The moment the list was read: open incidents' "open for" counts to it.
async function loadIncidents() {
  const now = Date.now();
  return { now, incidents: await listIncidents({}, now) };
}

async function Incidents({ canManageAlerts }: { canManageAlerts: boolean }) {
  const { now, incidents } = await loadIncidents();
  const open = incidents.filter((i) => i.resolvedAt === null);
  const resolved = incidents.filter((i) => i.resolvedAt !== null);
  return (
    <>
      <PageHeader
        title="Incidents"
        description={
          <>
            A connection opens an incident when Zoho refuses its refresh token, or when three refreshes in a row fail; it resolves when
            the connection refreshes again, is reconnected or revoked. Open ones first, then those resolved in the last 30 days.
            {canManageAlerts && (
              <>
                {" "}Who is told: <Link href="/settings/alerts" className="text-indigo-600 hover:underline">Settings / Alerts</Link>.
              </>
            )}
          </>
        }
      />
      {incidents.length === 0 ? (
        <EmptyState icon={<ShieldCheck className="h-8 w-8" aria-hidden />} title="Nothing open or recent">
          No incidents. Connections that fail to refresh three times in a row, or that Zoho refuses, open one here.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <section aria-labelledby="open-incidents" className="space-y-2">
            <h2 id="open-incidents" className="text-sm font-semibold">Open ({open.length})</h2>
            {open.length === 0 ? (
              <p className="text-sm text-slate-600">No incident is open now.</p>
            ) : (
              <IncidentsTable incidents={open} resolved={false} now={now} caption="Open incidents" />
            )}
          </section>
          {resolved.length > 0 && (
            <section aria-labelledby="resolved-incidents" className="space-y-2">
              <h2 id="resolved-incidents" className="text-sm font-semibold">Recently resolved</h2>
              <IncidentsTable incidents={resolved} resolved now={now} caption="Recently resolved incidents" />
            </section>
          )}
        </div>
      )}
    </>
  );
}
