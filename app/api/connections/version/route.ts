import { NextResponse } from "next/server";
import { connectionsVersion, ETAG_TIME_BUCKET_MS } from "@/lib/connections/version";
import { NO_STORE, viewerOrRefusal } from "../guard";

export const dynamic = "force-dynamic";

/** What the overview polls: a number that changes when any connection or client does. */
export async function GET() {
  const refusal = await viewerOrRefusal();
  if (refusal) return refusal;
  return NextResponse.json({ version: await connectionsVersion(), bucket: Math.floor(Date.now() / ETAG_TIME_BUCKET_MS) }, { headers: NO_STORE });
}
