import { NextResponse, type NextRequest } from "next/server";
import { listConnections } from "@/lib/connections/list";
import { parseListQuery } from "@/lib/connections/queries";
import { connectionsVersion, notModified, pollEtag } from "@/lib/connections/version";
import { viewerOrRefusal } from "@/lib/auth/viewer-route";
import { NO_STORE } from "@/lib/no-store";

export const dynamic = "force-dynamic";

/**
 * The connections list as JSON, for the page's live polling; same query string as the page.
 * Unchanged data answers 304 without running the list query.
 */
export async function GET(request: NextRequest) {
  const viewer = await viewerOrRefusal();
  if (viewer instanceof Response) return viewer;
  const query = parseListQuery(request.nextUrl.searchParams);
  const etag = pollEtag(await connectionsVersion(), `list:${JSON.stringify(query)}`);
  const headers = { ...NO_STORE, ETag: etag };
  if (notModified(request, etag)) return new NextResponse(null, { status: 304, headers });
  return NextResponse.json(await listConnections(query), { headers });
}
