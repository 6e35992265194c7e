import "server-only";
import { AuthorizationError, authorize, type SessionUser } from "@/lib/auth/session";

/**
 * The check of a route handler that a signed-in person's browser calls (the polling routes,
 * quick search, the audit CSV export): the user, who may view the console, or a JSON refusal to
 * return as it is — 401 when signed out, 403 when the role does not allow it.
 */
export async function viewerOrRefusal(): Promise<SessionUser | Response> {
  try {
    return await authorize("console:view");
  } catch (e) {
    if (!(e instanceof AuthorizationError)) throw e;
    return Response.json({ error: e.message }, { status: e.reason === "signed_out" ? 401 : 403 });
  }
}
