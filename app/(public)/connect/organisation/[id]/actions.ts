"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { fieldErrorsOf, requestIp, type ActionResult } from "@/lib/actions";
import { linkDonePath } from "@/lib/connect-links/callback";
import { linkNonceCookie } from "@/lib/connect-links/consent";
import { saveOwnerBinding } from "@/lib/connect-links/organisation";
import { limitAddress, limitLink } from "@/lib/connect-links/rate-limit";
import { bindingSchema } from "@/lib/authorization/schemas";
import { UserError } from "@/lib/errors";
import { log } from "@/lib/log";

// The owner's choice names the link, never a connection: the link's own completed attempt says
// which connection is theirs, so a connectionId sent along is ignored.
const ownerBindingSchema = bindingSchema.omit({ connectionId: true, attempt: true }).extend({
  linkId: z.coerce.number().int().positive(),
});

/**
 * The organisation step of a connect link, for a person with no console session: no role to
 * check, so the browser must hold the nonce of the attempt that completed the link, and the
 * public pages' rate limits apply.
 */
export async function saveOwnerBindingAction(formData: FormData): Promise<ActionResult> {
  const raw = Object.fromEntries([...formData.entries()].filter(([k, v]) => !k.startsWith("$") && typeof v === "string"));
  const parsed = ownerBindingSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: "Check the highlighted choices.", fieldErrors: fieldErrorsOf(parsed.error) };
  const { linkId, desk, salesiq, assistDepartment } = parsed.data;
  const ip = await requestIp();
  const limited = (await limitAddress(ip)).allowed ? await limitLink(linkId) : { allowed: false as const, retryAfterSec: 60 };
  if (!limited.allowed) return { ok: false, error: `Too many requests. Wait ${limited.retryAfterSec} seconds and save again.` };
  try {
    await saveOwnerBinding(linkId, (await cookies()).get(linkNonceCookie(linkId))?.value, { desk, salesiq, assistDepartment }, ip);
  } catch (e) {
    if (e instanceof UserError) return { ok: false, error: e.message, ...(e.field ? { fieldErrors: { [e.field]: e.message } } : {}) };
    log("connect-links").error({ err: e, linkId }, "connect link organisation step failed");
    return { ok: false, error: "Saving the organisation failed on the console's side. Try again in a minute." };
  }
  redirect(linkDonePath(linkId));
}
