"use server";
import { revalidatePath } from "next/cache";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { sendLinkByEmail, sendLinkEmailSchema } from "@/lib/connect-links/email";
import { createLinkSchema, linkIdSchema, reconnectLinkSchema } from "@/lib/connect-links/input";
import { createLink, createReconnectLink, issueAgain, revokeLink } from "@/lib/connect-links/links";

// lib/connect-links records every step of a link in the audit trail; guardedAction records refusals.
// A link's address leaves here once, in `issued`, to the person who made it: the console keeps
// only its token's hash, so it cannot be shown again.

export type IssuedLink = { id: number; url: string; expiresAt: number };
export type LinkActionResult = ActionResult & { issued?: IssuedLink };

function revalidateLinkPages(connectionId?: number | null) {
  revalidatePath("/connect-links");
  if (connectionId) revalidatePath(`/connections/${connectionId}`);
}

/** guardedAction's result has no room for the new link: it is carried beside it. */
async function issuing(run: (carry: (issued: IssuedLink) => void) => Promise<ActionResult>): Promise<LinkActionResult> {
  const out: { issued?: IssuedLink } = {};
  const result = await run((issued) => {
    out.issued = issued;
  });
  return result.ok && out.issued ? { ...result, issued: out.issued } : result;
}

export async function createLinkAction(formData: FormData): Promise<LinkActionResult> {
  return issuing((carry) =>
    guardedAction("connections:connect", "connect_link.create", createLinkSchema, formData, async (input, user) => {
      carry(await createLink(input, user, await requestIp()));
      revalidateLinkPages();
      return { ok: true, message: `Connect link for “${input.name}” created.` };
    }),
  );
}

/** From a connection that needs re-authorization: its owner's consent replaces its tokens. */
export async function createReconnectLinkAction(formData: FormData): Promise<LinkActionResult> {
  return issuing((carry) =>
    guardedAction("connections:connect", "connect_link.create", reconnectLinkSchema, formData, async (input, user) => {
      carry(await createReconnectLink(input, user, await requestIp()));
      revalidateLinkPages(input.connectionId);
      return { ok: true, message: "Reconnect link created." };
    }),
  );
}

export async function revokeLinkAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("connections:connect", "connect_link.revoke", linkIdSchema, formData, async ({ id }, user) => {
    await revokeLink(id, user, await requestIp());
    revalidateLinkPages();
    revalidatePath("/connections/[id]", "page");
    return { ok: true, message: "Link revoked: it no longer opens." };
  });
}

/** A new link with the same choices; the old one, if still open, stops working. */
export async function issueAgainAction(formData: FormData): Promise<LinkActionResult> {
  return issuing((carry) =>
    guardedAction("connections:connect", "connect_link.create", linkIdSchema, formData, async ({ id }, user) => {
      carry(await issueAgain(id, user, await requestIp()));
      revalidateLinkPages();
      revalidatePath("/connections/[id]", "page");
      return { ok: true, message: "New link issued." };
    }),
  );
}

/**
 * Not audited on its own: the link's creation is, and an audit row must not carry the address.
 * A refusal by role is recorded under connect_link.create, the step a send belongs to.
 */
export async function sendLinkEmailAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("connections:connect", "connect_link.create", sendLinkEmailSchema, formData, async (input, user) => {
    const sent = await sendLinkByEmail(input, user);
    if (!sent.delivered) return { ok: false, error: `The e-mail was not sent: ${sent.error ?? "the SMTP server refused it"}.` };
    return { ok: true, message: `Sent to ${input.to}.` };
  });
}
