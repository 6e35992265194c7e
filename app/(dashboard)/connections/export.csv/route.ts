import { NextResponse, type NextRequest } from "next/server";
import { actorOf, recordAudit } from "@/lib/audit";
import { AuthorizationError, authorize, type SessionUser } from "@/lib/auth/session";
import { connectionBatches, connectionsCsvFilename, connectionsCsvStream } from "@/lib/connections/csv";
import { parseListQuery } from "@/lib/connections/queries";
import { clientIp } from "@/lib/request-ip";

export const dynamic = "force-dynamic";

/**
 * The connections the list shows for the same query string (every page of it), as a CSV
 * download without any secret. Streamed one keyset batch at a time, like the audit export, and
 * audited with how many rows left and whether the download finished.
 */
export async function GET(request: NextRequest) {
  let user: SessionUser;
  try {
    user = await authorize("console:view");
  } catch (e) {
    if (!(e instanceof AuthorizationError)) throw e;
    return NextResponse.json({ error: e.message }, { status: e.reason === "signed_out" ? 401 : 403 });
  }
  const query = parseListQuery(request.nextUrl.searchParams);
  const filter = new URLSearchParams(
    Object.entries({ status: query.status, client: query.client, service: query.service, dc: query.dc, q: query.q, tag: query.tag }).filter(
      (e): e is [string, string | number] => e[1] !== undefined,
    ).map(([k, v]) => [k, String(v)]),
  ).toString();
  const now = new Date();
  const ip = clientIp(request.headers);
  const body = connectionsCsvStream(connectionBatches(query, { now: now.getTime() }), ({ rows, complete }) =>
    recordAudit({
      actor: actorOf(user),
      action: "connection.export",
      outcome: complete ? "success" : "failure",
      detail: { rows, filter: filter || "all", ...(complete ? {} : { reason: "download interrupted" }) },
      ip,
    }),
  );
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${connectionsCsvFilename(now)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
