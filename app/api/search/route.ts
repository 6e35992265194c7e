import { NextResponse, type NextRequest } from "next/server";
import { quickSearch } from "@/lib/quick-search";
import { NO_STORE, viewerOrRefusal } from "../connections/guard";

export const dynamic = "force-dynamic";

/** The quick jump's search (Ctrl/⌘+K): connections and clients whose names match `q`. */
export async function GET(request: NextRequest) {
  const refusal = await viewerOrRefusal();
  if (refusal) return refusal;
  const q = request.nextUrl.searchParams.get("q") ?? "";
  return NextResponse.json({ hits: await quickSearch(q) }, { headers: NO_STORE });
}
