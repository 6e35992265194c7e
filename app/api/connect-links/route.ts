import { createHash } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { listLinks, LINKS_PAGE_SIZE } from "@/lib/connect-links/view";
import { notModified } from "@/lib/connections/version";
import { viewerOrRefusal } from "@/lib/auth/viewer-route";
import { NO_STORE } from "@/lib/no-store";

export const dynamic = "force-dynamic";

/**
 * A page of the connect links list as JSON, for the page's live polling while a link is open:
 * the same DTOs as the page (never a token or its hash). An unchanged page answers 304.
 */
export async function GET(request: NextRequest) {
  const viewer = await viewerOrRefusal();
  if (viewer instanceof Response) return viewer;
  const raw = Number(request.nextUrl.searchParams.get("page"));
  const page = Number.isSafeInteger(raw) && raw > 0 ? raw : 1;
  const { links, total } = await listLinks({ page });
  // The ETag is taken before generatedAt is added, so an unchanged page stays unchanged.
  const etag = `W/"${createHash("sha256").update(JSON.stringify([page, total, links])).digest("base64url").slice(0, 22)}"`;
  const headers = { ...NO_STORE, ETag: etag };
  if (notModified(request, etag)) return new NextResponse(null, { status: 304, headers });
  return NextResponse.json({ links, total, page, pageSize: LINKS_PAGE_SIZE, generatedAt: Date.now() }, { headers });
}
