import Link from "next/link";
import { Card } from "@/components/ui/card";
import { auditHref } from "@/lib/audit/filters";
import { auditRow } from "@/lib/audit/rows";
import type { AuditPage } from "@/lib/audit/query";
import { AuditTable } from "./audit-table";

/** The connection's own events, newest first; kept after revocation like the trail itself. */
export function ConnectionHistory({ connectionId, page }: { connectionId: number; page: AuditPage }) {
  const href = auditHref({ connection: connectionId });
  return (
    <Card>
      <div className="flex flex-wrap items-baseline justify-between gap-2 px-5 pt-4 pb-2">
        <h2 className="text-sm font-semibold text-slate-900" id="connection-history">History</h2>
        <Link href={href} className="text-sm text-indigo-600 hover:underline">
          {page.older ? "All events in the audit trail →" : "Open in the audit trail →"}
        </Link>
      </div>
      <div aria-labelledby="connection-history" data-testid="connection-history">
        {page.events.length === 0 ? (
          <p className="px-5 pb-4 text-sm text-slate-500">No events recorded for this connection yet.</p>
        ) : (
          <AuditTable events={page.events.map(auditRow)} compact />
        )}
      </div>
    </Card>
  );
}
