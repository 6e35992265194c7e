import { NextResponse } from "next/server";
import { connectionsVersion, ETAG_TIME_BUCKET_MS } from "@/lib/connections/version";
import { viewerOrRefusal } from "@/lib/auth/viewer-route";
import { NO_STORE } from "@/lib/no-store";

export const dynamic = "force-dynamic";

/** What the overview polls: a number that changes when any connection or client does. */
export async function GET() {
  const viewer = await viewerOrRefusal();
  if (viewer instanceof Response) return viewer;
  return NextResponse.json({ version: await connectionsVersion(), bucket: Math.floor(Date.now() / ETAG_TIME_BUCKET_MS) }, { headers: NO_STORE });
}
