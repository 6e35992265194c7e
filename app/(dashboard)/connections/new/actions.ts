"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { validateScopeSelection } from "@/lib/scopes/scope-selection";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { startSchema } from "@/lib/connect/schemas";
import { retryAttempt } from "@/lib/connect/retry";
import { startAuthorization } from "@/lib/connect/start";

/** Records the attempt and sends the browser to Zoho's consent page. */
export async function startConnection(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  let consentUrl: string | undefined;
  const result = await guardedAction("connections:connect", "connection.authorize_start", startSchema, formData, async (input, user) => {
    const scopeError = validateScopeSelection(input.scopes);
    if (scopeError) return { ok: false, error: scopeError, fieldErrors: { scopes: scopeError } };
    consentUrl = (await startAuthorization(user, input, await requestIp())).url;
    return { ok: true };
  });
  // Outside guardedAction: redirect() works by throwing.
  if (result.ok && consentUrl) redirect(consentUrl);
  return result;
}

const retrySchema = z.object({ attemptId: z.coerce.number().int().positive("Choose an authorization to retry") });

/** "Try again" on an unfinished authorization: a new attempt with the same choices, straight to Zoho. */
export async function retryAuthorization(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  let consentUrl: string | undefined;
  const result = await guardedAction("connections:connect", "connection.authorize_start", retrySchema, formData, async (input, user) => {
    consentUrl = (await retryAttempt(user, input.attemptId, await requestIp())).url;
    return { ok: true };
  });
  if (result.ok && consentUrl) redirect(consentUrl);
  return result;
}
