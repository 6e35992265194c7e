"use server";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { selfClientSchema } from "@/lib/authorization/schemas";
import { exchangeSelfClientCode } from "@/lib/authorization/self-client";

export async function exchangeSelfClientAction(formData: FormData): Promise<ActionResult> {
  // The code exchange reaches Zoho; its log lines carry this action's request id.
  return guardedAction("connections:connect", "connection.self_client", selfClientSchema, formData, async (input, user) => {
    const r = await exchangeSelfClientCode(user, input, await requestIp());
    if (!r.ok) return { ok: false, error: [r.title, r.message, r.advice && `What to do: ${r.advice}`].filter(Boolean).join(" — ") };
    return { ok: true, redirect: r.needsBinding ? `/connections/${r.connectionId}/binding?attempt=${r.attemptId}` : `/connections/result?attempt=${r.attemptId}` };
  });
}
