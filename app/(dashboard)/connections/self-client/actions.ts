"use server";
import { redirect } from "next/navigation";
import { validateScopeSelection } from "@/lib/scopes/scope-selection";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { selfClientSchema } from "@/lib/connect/schemas";
import { exchangeSelfClientCode } from "@/lib/connect/self-client";

export async function exchangeSelfClientAction(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  let next: string | undefined;
  // The code exchange reaches Zoho; its log lines carry this action's request id.
  const result = await guardedAction("connections:connect", "connection.self_client", selfClientSchema, formData, async (input, user) => {
    const scopeError = validateScopeSelection(input.scopes);
    if (scopeError) return { ok: false, error: scopeError, fieldErrors: { scopes: scopeError } };
    const r = await exchangeSelfClientCode(user, input, await requestIp());
    if (!r.ok) return { ok: false, error: [r.title, r.message, r.advice && `What to do: ${r.advice}`].filter(Boolean).join(" — ") };
    next = r.needsBinding ? `/connections/${r.connectionId}/binding?attempt=${r.attemptId}` : `/connections/result?attempt=${r.attemptId}`;
    return { ok: true };
  });
  if (result.ok && next) redirect(next);
  return result;
}
