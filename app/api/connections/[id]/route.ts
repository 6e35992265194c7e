import { NextResponse } from "next/server";
import { connectionSnapshot } from "@/lib/connections/queries";
import { NO_STORE, viewerOrRefusal } from "../guard";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const refusal = await viewerOrRefusal();
  if (refusal) return refusal;
  const id = Number((await params).id);
  const snapshot = Number.isSafeInteger(id) && id > 0 ? connectionSnapshot(id) : undefined;
  if (!snapshot) return NextResponse.json({ error: "This connection does not exist." }, { status: 404, headers: NO_STORE });
  return NextResponse.json(snapshot, { headers: NO_STORE });
}
