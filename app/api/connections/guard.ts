import "server-only";
import { NextResponse } from "next/server";
import { AuthorizationError, authorize } from "@/lib/auth/session";

/** The polling routes' check: a signed-in user who may view the console, or a JSON refusal. */
export async function viewerOrRefusal(): Promise<NextResponse | null> {
  try {
    await authorize("console:view");
    return null;
  } catch (e) {
    if (!(e instanceof AuthorizationError)) throw e;
    return NextResponse.json({ error: e.message }, { status: e.reason === "signed_out" ? 401 : 403 });
  }
}

export const NO_STORE = { "Cache-Control": "no-store" };
