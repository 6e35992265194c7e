import type { Metadata } from "next";
import Link from "next/link";
import { ScrollText } from "lucide-react";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { buttonClass } from "@/components/ui/button";
import { Alert, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { auditHref, formatCursor, isFiltered, parseAuditQuery } from "@/lib/audit/filters";
import { actorOptions, auditView, PAGE_SIZE, targetOptions } from "@/lib/audit/query";
import { tagOptions } from "@/lib/connections/tags";
import { auditRow, connectionOption } from "@/lib/audit/rows";

export const metadata: Metadata = { title: "Audit" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requireUser();
  const query = parseAuditQuery(await searchParams);
  const [{ page, total }, actors, targets, tags] = await Promise.all([auditView(query), actorOptions(), targetOptions(), tagOptions()]);
  const { filter } = query;
  const totalText = `${total.count.toLocaleString("en-US")}${total.capped ? "+" : ""} event${total.count === 1 && !total.capped ? "" : "s"}`;
  return (
    <>
      <PageHeader
        title="Audit"
        description="Every sign-in, change and token event, newest first. Append-only: nothing here can be edited, and old events leave only by the retention rule."
      />
      <AuditFilters filter={filter} options={{ actors, clients: targets.clients, connections: targets.connections.map(connectionOption), tags: tags.map((t) => t.tag) }} />
      {query.ignored && query.ignored.length > 0 && (
        <div className="mb-4">
          <Alert tone="amber">
            Some of this link&apos;s filters were not understood and are not applied: {query.ignored.join(", ")}
            {query.ignored.includes("from") ? " (the start of the custom range must be before its end)" : ""}
            {query.ignored.includes("q") ? " (a search needs a word of 3 characters or more)" : ""}. The list below
            shows what the remaining filters select; choose the missing ones again above.
          </Alert>
        </div>
      )}
      {page.events.length === 0 ? (
        <EmptyState icon={<ScrollText className="h-8 w-8" aria-hidden />} title={isFiltered(filter) ? "No events match these filters" : "No events yet"}>
          {isFiltered(filter) ? (
            <>
              Widen the date range or remove a filter. <Link href="/audit" className="text-indigo-600 hover:underline">Show every event</Link>.
            </>
          ) : (
            "Sign-ins, changes to clients and users, and every token event will be listed here as they happen."
          )}
        </EmptyState>
      ) : (
        <Card>
          <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-2 text-sm text-slate-600">
            <span data-testid="audit-total">{totalText}{isFiltered(filter) ? " match" : " recorded"}</span>
            <span>Up to {PAGE_SIZE} per page</span>
          </div>
          <AuditTable events={page.events.map(auditRow)} />
          <nav aria-label="Audit pages" className="flex items-center justify-between gap-2 px-4 py-3">
            {page.newer || query.before || query.after ? (
              <span className="flex gap-2">
                <Link href={auditHref(filter)} className={buttonClass("secondary", "sm")}>Newest</Link>
                {page.newer && (
                  <Link href={auditHref(filter, { after: formatCursor(page.newer) })} className={buttonClass("secondary", "sm")} rel="prev">← Newer</Link>
                )}
              </span>
            ) : (
              <span />
            )}
            {page.older ? (
              <Link href={auditHref(filter, { before: formatCursor(page.older) })} className={buttonClass("secondary", "sm")} rel="next">Older →</Link>
            ) : (
              <span className="text-xs text-slate-500">End of the trail</span>
            )}
          </nav>
        </Card>
      )}
    </>
  );
}
