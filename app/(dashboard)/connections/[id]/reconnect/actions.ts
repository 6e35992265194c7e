"use server";
import { redirect } from "next/navigation";
import { validateScopeSelection } from "@/lib/scopes/scope-selection";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { reconnectSchema } from "@/lib/connect/schemas";
import { startReconnect } from "@/lib/connect/start";

export async function reconnectAction(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  let consentUrl: string | undefined;
  const result = await guardedAction("connections:connect", "connection.reconnect_start", reconnectSchema, formData, async (input, user) => {
    const scopeError = validateScopeSelection(input.scopes);
    if (scopeError) return { ok: false, error: scopeError, fieldErrors: { scopes: scopeError } };
    consentUrl = (await startReconnect(user, input.connectionId, input.scopes, await requestIp())).url;
    return { ok: true };
  });
  if (result.ok && consentUrl) redirect(consentUrl);
  return result;
}
