"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { actorOf, recordAudit } from "@/lib/audit";
import { setKeepFresh } from "@/lib/connections/keep-fresh";
import { tagListSchema, tagSchema } from "@/lib/connections/tag-rules";
import { changeTags } from "@/lib/connections/tags";
import { refreshConnection } from "@/lib/tokens/engine";
import { isTokenError } from "@/lib/tokens/errors";
import { revokeConnection } from "@/lib/tokens/revoke";
import { verifyConnection, type VerifyRow } from "@/lib/tokens/verify";

const connectionInput = z.object({ connectionId: z.coerce.number().int().positive() });

// A TokenError (revoked, throttled, Zoho refused) reaches guardedAction, which shows its message
// and advice; the refresh and verify refusals are audited here first.

function revalidate(id: number) {
  revalidatePath(`/connections/${id}`);
  revalidatePath("/connections");
  revalidatePath("/");
}

export async function refreshNowAction(input: FormData): Promise<ActionResult> {
  return guardedAction("connections:operate", "connection.refresh", connectionInput, input, async ({ connectionId }, user) => {
    try {
      const r = await refreshConnection(connectionId, { trigger: "manual", actor: actorOf(user), ignoreBackoff: true });
      revalidate(connectionId);
      return { ok: true, message: r.refreshed ? "Refreshed: a new access token is stored." : "Another refresh had just finished; its token is in use." };
    } catch (e) {
      if (!isTokenError(e)) throw e;
      // Refusals before any call to Zoho are audited here; Zoho's own answers by the engine.
      if (e.kind !== "zoho") {
        await recordAudit({
          actor: actorOf(user),
          action: "connection.refresh",
          target: { type: "connection", id: connectionId },
          outcome: "failure",
          detail: { trigger: "manual", refused: e.kind },
          ip: await requestIp(),
        });
      }
      revalidate(connectionId);
      throw e;
    }
  });
}

export type VerifyActionResult = ActionResult & { results?: VerifyRow[] };

export async function verifyAction(input: FormData): Promise<VerifyActionResult> {
  let results: VerifyRow[] | undefined;
  const outcome = await guardedAction("connections:operate", "connection.verify", connectionInput, input, async ({ connectionId }, user) => {
    try {
      results = await verifyConnection(connectionId, actorOf(user));
      revalidate(connectionId);
      const bad = results.filter((r) => !r.ok).length;
      return { ok: true, message: bad ? `${bad} of ${results.length} checks failed.` : `All ${results.length} checks passed.` };
    } catch (e) {
      if (!isTokenError(e)) throw e;
      await recordAudit({
        actor: actorOf(user),
        action: "connection.verify",
        target: { type: "connection", id: connectionId },
        outcome: "failure",
        detail: { refused: e.kind },
        ip: await requestIp(),
      });
      throw e;
    }
  });
  return outcome.ok ? { ...outcome, results } : outcome;
}

export async function revokeAction(input: FormData): Promise<ActionResult> {
  return guardedAction("connections:operate", "connection.revoke", connectionInput, input, async ({ connectionId }, user) => {
    const { zohoKnewIt } = await revokeConnection(connectionId, actorOf(user));
    revalidate(connectionId);
    return {
      ok: true,
      message: zohoKnewIt
        ? "Revoked at Zoho; the stored tokens were wiped."
        : "Zoho no longer knew this token (already revoked there); the stored tokens were wiped.",
    };
  });
}

const keepFreshInput = connectionInput.extend({ keepFresh: z.enum(["on", "off"]) });

export async function setKeepFreshAction(input: FormData): Promise<ActionResult> {
  return guardedAction("connections:operate", "connection.keep_fresh", keepFreshInput, input, async ({ connectionId, keepFresh }, user) => {
    const r = await setKeepFresh(connectionId, keepFresh === "on");
    if (r.changed) {
      await recordAudit({
        actor: actorOf(user),
        action: "connection.keep_fresh",
        target: { type: "connection", id: connectionId },
        detail: { keepFresh: r.keepFresh },
        ip: await requestIp(),
      });
      revalidate(connectionId);
    }
    return {
      ok: true,
      message: r.keepFresh
        ? "Kept fresh: the background refresher renews the access token before it expires."
        : "No longer kept fresh: the access token is renewed only on demand.",
    };
  });
}

const addTagsInput = connectionInput.extend({ tags: tagListSchema });

export async function addTagsAction(input: FormData): Promise<ActionResult> {
  return guardedAction("connections:operate", "connection.tag", addTagsInput, input, async ({ connectionId, tags }, user) => {
    const r = await changeTags(connectionId, { add: tags }, actorOf(user), { ip: await requestIp() });
    revalidate(connectionId);
    return { ok: true, message: r.added.length ? `Tagged ${r.added.join(", ")}.` : "It already carries these tags." };
  });
}

const removeTagInput = connectionInput.extend({ tag: tagSchema });

export async function removeTagAction(input: FormData): Promise<ActionResult> {
  return guardedAction("connections:operate", "connection.tag", removeTagInput, input, async ({ connectionId, tag }, user) => {
    const r = await changeTags(connectionId, { remove: [tag] }, actorOf(user), { ip: await requestIp() });
    revalidate(connectionId);
    return { ok: true, message: r.removed.length ? `Removed the tag ${tag}.` : `It did not carry ${tag}.` };
  });
}
