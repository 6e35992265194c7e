import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Cable, Link2, Plus } from "lucide-react";
import { RecentAttempts } from "@/components/authorization/recent-attempts";
import { ConnectionFilters } from "@/components/connections/connection-filters";
import { ConnectionsTable } from "@/components/connections/connections-table";
import { queryString } from "@/components/connections/list-url";
import { ReadOnlyNote } from "@/components/layout/read-only-note";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { PageSkeleton, TableSkeleton } from "@/components/ui/skeleton";
import { requireUser } from "@/lib/auth/session";
import { hasAnyClient } from "@/lib/clients";
import { recentUnfinishedAttempts } from "@/lib/authorization/recent-attempts";
import { listConnections, listFilterOptions } from "@/lib/connections/list";
import { parseListQuery } from "@/lib/connections/queries";
import { can } from "@/lib/rbac";

export const metadata: Metadata = { title: "Connections" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// Filtering and sorting many connections takes a moment: the frame shows at once.
export default function ConnectionsPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <Suspense
      fallback={
        <PageSkeleton title="Connections" waitingFor="Loading connections…">
          <TableSkeleton rows={8} />
        </PageSkeleton>
      }
    >
      <Connections searchParams={searchParams} />
    </Suspense>
  );
}

async function Connections({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const query = parseListQuery(await searchParams);
  const canConnect = can(user.role, "connections:connect");
  const [list, options, attempts, anyClient] = await Promise.all([
    listConnections(query),
    listFilterOptions(),
    canConnect ? recentUnfinishedAttempts(user.id) : [],
    hasAnyClient(),
  ]);
  const newLink = canConnect ? (
    <>
      <Link href="/connections/new" className={buttonClass("primary")}>
        <Plus className="h-4 w-4" aria-hidden />
        New connection
      </Link>
      {/* For a Zoho account whose owner has no console account; after New connection, which Tab reaches first. */}
      <Link href="/connect-links/new" className={buttonClass("secondary")}>
        <Link2 className="h-4 w-4" aria-hidden />
        Share a connect link
      </Link>
    </>
  ) : (
    <ReadOnlyNote need="Connecting Zoho accounts needs an operator or admin." />
  );
  return (
    <>
      <PageHeader
        title="Connections"
        description="Authorized Zoho accounts, bound to their organisations, with live token status."
        actions={list.totalAll > 0 ? newLink : undefined}
      />
      <RecentAttempts attempts={attempts} />
      {list.totalAll === 0 ? (
        <EmptyState
          icon={<Cable className="h-8 w-8" aria-hidden />}
          title="No connections yet"
          action={
            <>
              {newLink}
              <Link href="/clients" className={buttonClass("secondary")}>Zoho clients</Link>
            </>
          }
        >
          {anyClient
            ? "A connection is made by authorizing a registered client in Zoho with the scopes a job needs. A client is registered: start with New connection; "
            : "A connection is made by authorizing a registered client in Zoho with the scopes a job needs. Register a client first, then connect; "}
          each connection then shows its status, organisation, data centre and the time left on its access token here.
        </EmptyState>
      ) : (
        <>
          {/* Remounts (resetting the selects) when the URL's filters change, but not while typing a search. */}
          <ConnectionFilters key={queryString({ ...query, q: undefined, page: undefined })} query={query} options={options} />
          <ConnectionsTable initial={list} query={query} canOperate={can(user.role, "connections:operate")} />
        </>
      )}
    </>
  );
}
