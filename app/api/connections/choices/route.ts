import { NextResponse, type NextRequest } from "next/server";
import { searchConnectionChoices } from "@/lib/api-keys/connection-choices";
import { viewerOrRefusal } from "@/lib/auth/viewer-route";
import { NO_STORE } from "@/lib/no-store";

export const dynamic = "force-dynamic";

/**
 * The API key form's connection picker: the connections whose names match `q`, a few at a time,
 * as the admin types (the form no longer carries every connection of the console).
 */
export async function GET(request: NextRequest) {
  const viewer = await viewerOrRefusal();
  if (viewer instanceof Response) return viewer;
  return NextResponse.json(await searchConnectionChoices(request.nextUrl.searchParams.get("q") ?? ""), { headers: NO_STORE });
}
