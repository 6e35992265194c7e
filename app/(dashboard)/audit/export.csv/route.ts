import type { NextRequest } from "next/server";
import { actorOf, recordAudit } from "@/lib/audit";
import { auditCsvStream, csvFilename } from "@/lib/audit/csv";
import { auditSearchParams, parseAuditQuery } from "@/lib/audit/filters";
import { auditEventBatches } from "@/lib/audit/query";
import { viewerOrRefusal } from "@/lib/auth/viewer-route";
import { NO_STORE } from "@/lib/no-store";
import { clientIp } from "@/lib/request-ip";

export const dynamic = "force-dynamic";

/**
 * The events the audit page shows for the same query string, as a CSV download. Each keyset
 * batch is read only when the response can take another chunk, so memory stays flat however
 * many rows match and however slowly the client reads; a client that leaves stops the reading.
 * The export is itself audited, with how many rows left and whether the download finished.
 */
export async function GET(request: NextRequest) {
  const user = await viewerOrRefusal();
  if (user instanceof Response) return user;
  const { filter } = parseAuditQuery(request.nextUrl.searchParams);
  const now = new Date();
  const ip = clientIp(request.headers);
  const body = auditCsvStream(auditEventBatches(filter, { now: now.getTime() }), ({ rows, complete }) =>
    recordAudit({
      actor: actorOf(user),
      action: "audit.export",
      outcome: complete ? "success" : "failure",
      detail: { rows, filter: auditSearchParams(filter).toString() || "all", ...(complete ? {} : { reason: "download interrupted" }) },
      ip,
    }),
  );
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csvFilename(now)}"`,
      ...NO_STORE,
      "X-Content-Type-Options": "nosniff",
    },
  });
}
