"use server";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { reconnectSchema } from "@/lib/authorization/schemas";
import { startReconnect } from "@/lib/authorization/start";

export async function reconnectAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("connections:connect", "connection.reconnect_start", reconnectSchema, formData, async (input, user) => ({
    ok: true,
    redirect: (await startReconnect(user, input.connectionId, input.scopes, await requestIp(), { acceptEviction: input.acceptEviction })).url,
  }));
}
