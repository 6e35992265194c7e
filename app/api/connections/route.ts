import { NextResponse, type NextRequest } from "next/server";
import { listConnections, parseListQuery } from "@/lib/connections/queries";
import { NO_STORE, viewerOrRefusal } from "./guard";

export const dynamic = "force-dynamic";

/** The connections list as JSON, for the page's live polling; same query string as the page. */
export async function GET(request: NextRequest) {
  const refusal = await viewerOrRefusal();
  if (refusal) return refusal;
  return NextResponse.json(listConnections(parseListQuery(request.nextUrl.searchParams)), { headers: NO_STORE });
}
