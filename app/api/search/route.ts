import { NextResponse, type NextRequest } from "next/server";
import { quickSearch } from "@/lib/quick-search";
import { viewerOrRefusal } from "@/lib/auth/viewer-route";
import { NO_STORE } from "@/lib/no-store";

export const dynamic = "force-dynamic";

/** The quick jump's search (Ctrl/⌘+K): connections and clients whose names match `q`. */
export async function GET(request: NextRequest) {
  const viewer = await viewerOrRefusal();
  if (viewer instanceof Response) return viewer;
  const q = request.nextUrl.searchParams.get("q") ?? "";
  return NextResponse.json({ hits: await quickSearch(q) }, { headers: NO_STORE });
}
