"use server";
import { redirect } from "next/navigation";
import { validateScopeSelection } from "@/lib/scopes/scope-selection";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { startSchema } from "@/lib/connect/schemas";
import { startAuthorization } from "@/lib/connect/start";

/** Records the attempt and sends the browser to Zoho's consent page. */
export async function startConnection(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  let consentUrl: string | undefined;
  const result = await guardedAction("connections:connect", "connection.authorize_start", startSchema, formData, async (input, user) => {
    const scopeError = validateScopeSelection(input.scopes);
    if (scopeError) return { ok: false, error: scopeError, fieldErrors: { scopes: scopeError } };
    consentUrl = startAuthorization(user, input, await requestIp()).url;
    return { ok: true };
  });
  // Outside guardedAction: redirect() works by throwing.
  if (result.ok && consentUrl) redirect(consentUrl);
  return result;
}
