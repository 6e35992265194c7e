"use server";
import { z } from "zod";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { startSchema } from "@/lib/authorization/schemas";
import { retryAttempt } from "@/lib/authorization/retry";
import { startAuthorization } from "@/lib/authorization/start";

/** Records the attempt and sends the browser to Zoho's consent page. */
export async function startConnection(formData: FormData): Promise<ActionResult> {
  return guardedAction("connections:connect", "connection.authorize_start", startSchema, formData, async (input, user) => ({
    ok: true,
    redirect: (await startAuthorization(user, input, await requestIp())).url,
  }));
}

const retrySchema = z.object({ attemptId: z.coerce.number().int().positive("Choose an authorization to retry") });

/** "Try again" on an unfinished authorization: a new attempt with the same choices, straight to Zoho. */
export async function retryAuthorization(formData: FormData): Promise<ActionResult> {
  return guardedAction("connections:connect", "connection.authorize_start", retrySchema, formData, async (input, user) => ({
    ok: true,
    redirect: (await retryAttempt(user, input.attemptId, await requestIp())).url,
  }));
}
