import { NextResponse } from "next/server";
import { connectionSnapshot } from "@/lib/connections/queries";
import { connectionsVersion, notModified, pollEtag } from "@/lib/connections/version";
import { viewerOrRefusal } from "@/lib/auth/viewer-route";
import { NO_STORE } from "@/lib/no-store";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const viewer = await viewerOrRefusal();
  if (viewer instanceof Response) return viewer;
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) return NextResponse.json({ error: "This connection does not exist." }, { status: 404, headers: NO_STORE });
  const etag = pollEtag(await connectionsVersion(), `connection:${id}`);
  const headers = { ...NO_STORE, ETag: etag };
  if (notModified(request, etag)) return new NextResponse(null, { status: 304, headers });
  const snapshot = await connectionSnapshot(id);
  if (!snapshot) return NextResponse.json({ error: "This connection does not exist." }, { status: 404, headers: NO_STORE });
  return NextResponse.json(snapshot, { headers });
}
