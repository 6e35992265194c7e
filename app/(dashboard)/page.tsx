import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { LayoutDashboard } from "lucide-react";
import { OpenIncidentsBanner } from "@/components/alerts/incidents-table";
import { RefreshActivityChart } from "@/components/charts/refresh-activity-chart";
import { AutoRefresh } from "@/components/connections/live";
import { BudgetTable, ExpiringSoon, NeedsAttention, RefresherCard, StatusCounts } from "@/components/connections/overview-cards";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { PageSkeleton, SkeletonBlock } from "@/components/ui/skeleton";
import { requireUser } from "@/lib/auth/session";
import { openIncidentCount } from "@/lib/alerts/incident-queries";
import { refreshActivity } from "@/lib/audit/activity";
import { parseActivityRange, type ActivityRange } from "@/lib/charts/types";
import { overview } from "@/lib/connections/overview";
import { hasAnyClient } from "@/lib/clients";
import { can } from "@/lib/rbac";
import { lastRefresherRun, refresherEnabled, refresherIntervalMs } from "@/lib/tokens/refresher";

export const metadata: Metadata = { title: "Overview" };

/** With ?budgets=all the budget table lists this many (fullest first) instead of ten. */
const ALL_BUDGETS = 500;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// The counts and charts are the heaviest queries of the console: the frame shows at once.
export default function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <Suspense fallback={<OverviewSkeleton />}>
      <Overview searchParams={searchParams} />
    </Suspense>
  );
}

function OverviewSkeleton() {
  return (
    <PageSkeleton title="Overview" waitingFor="Counting connections and tokens…">
      <div className="space-y-6">
        <div className="grid gap-4 sm:grid-cols-3 lg:grid-cols-6">
          {Array.from({ length: 6 }, (_, i) => <SkeletonBlock key={i} className="h-20" />)}
        </div>
        <SkeletonBlock className="h-64 w-full" />
      </div>
    </PageSkeleton>
  );
}

/** The page's independent reads, sent at once (on PostgreSQL the page waits for the slowest, not the sum), on one clock. */
function overviewData(showAllBudgets: boolean, range: ActivityRange) {
  const now = Date.now();
  return Promise.all([
    overview(now, { budgetLimit: showAllBudgets ? ALL_BUDGETS : undefined }),
    refreshActivity(now, range),
    openIncidentCount(),
    lastRefresherRun(),
  ]);
}

async function Overview({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const params = await searchParams;
  const showAllBudgets = params.budgets === "all";
  // The refreshes chart's range lives in the URL (?range=24h|7d|30d): shareable, and Back works.
  const [data, activity, incidents, lastRun] = await overviewData(showAllBudgets, parseActivityRange(params.range));
  // Shown above everything, on both versions of the page, while any incident is open.
  const incidentsBanner = <OpenIncidentsBanner count={incidents} />;
  const refresher = <RefresherCard run={lastRun} enabled={refresherEnabled()} intervalMs={refresherIntervalMs()} />;
  if (data.total === 0) {
    // The first step decides the first button: a client to register, then a connection to make.
    const clientsExist = await hasAnyClient();
    const addClient = can(user.role, "clients:manage") && (
      <Link href="/clients/new" className={buttonClass(clientsExist ? "secondary" : "primary")}>Add a Zoho client</Link>
    );
    const connect = can(user.role, "connections:connect") && (
      <Link href="/connections/new" className={buttonClass("primary")}>New connection</Link>
    );
    return (
      <>
        {incidentsBanner}
        <PageHeader title="Overview" description="The health of every Zoho connection at a glance." />
        <EmptyState
          icon={<LayoutDashboard className="h-8 w-8" aria-hidden />}
          title={clientsExist ? "No connections to watch yet" : "Start by adding a Zoho client"}
          action={
            clientsExist ? (
              <>
                {connect}
                <Link href="/clients" className={buttonClass("secondary")}>Zoho clients</Link>
              </>
            ) : (
              addClient || <Link href="/clients" className={buttonClass("secondary")}>Zoho clients</Link>
            )
          }
        >
          {clientsExist ? (
            <>
              Connect a Zoho account through one of the registered clients. This page then counts connections by status, lists the ones
              that need attention, shows what expires in the next hour and how much of each Zoho user&apos;s refresh-token budget is used.
            </>
          ) : (
            <>
              Every connection goes through a Zoho OAuth client: register the client you created in Zoho&apos;s API console (or the
              local sandbox&apos;s), then connect a Zoho account through it.
              {!can(user.role, "clients:manage") && " Only an admin can register clients."}
            </>
          )}
        </EmptyState>
        <div className="mt-6">{refresher}</div>
      </>
    );
  }
  return (
    <>
      <AutoRefresh />
      {incidentsBanner}
      <PageHeader title="Overview" description={`The health of ${data.total} Zoho connection${data.total === 1 ? "" : "s"} at a glance.`} />
      <div className="space-y-6">
        <StatusCounts counts={data.counts} />
        <RefreshActivityChart data={activity} />
        <div className="grid gap-6 lg:grid-cols-2">
          <NeedsAttention list={data.attention} />
          <ExpiringSoon list={data.expiringWithinHour} generatedAt={data.generatedAt} />
        </div>
        <div className="grid gap-6 lg:grid-cols-2">
          <BudgetTable budgets={data.budgets} showingAll={showAllBudgets} />
          {refresher}
        </div>
      </div>
    </>
  );
}
