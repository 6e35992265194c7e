"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { actorOf } from "@/lib/audit";
import { keepFreshOne, refreshOne, revokeOne, verifyOne } from "@/lib/connections/operations";
import { tagListSchema, tagSchema } from "@/lib/connections/tag-schemas";
import { changeTags } from "@/lib/connections/tags";
import type { VerifyRow } from "@/lib/tokens/verify";

const connectionInput = z.object({ connectionId: z.coerce.number().int().positive() });

// A TokenError (revoked, throttled, Zoho refused) reaches guardedAction, which shows its message
// and advice; lib/connections/operations.ts audits the refusals first.

function revalidate(id: number) {
  revalidatePath(`/connections/${id}`);
  revalidatePath("/connections");
  revalidatePath("/");
}

/** Runs `fn`, then revalidates the connection's pages whether it succeeded or not. */
async function thenRevalidate<T>(id: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    revalidate(id);
  }
}

export async function refreshNowAction(input: FormData): Promise<ActionResult> {
  return guardedAction("connections:operate", "connection.refresh", connectionInput, input, async ({ connectionId }, user) => {
    const { message } = await thenRevalidate(connectionId, async () => refreshOne(connectionId, actorOf(user), await requestIp()));
    return { ok: true, message };
  });
}

export type VerifyActionResult = ActionResult & { results?: VerifyRow[] };

export async function verifyAction(input: FormData): Promise<VerifyActionResult> {
  let results: VerifyRow[] | undefined;
  const outcome = await guardedAction("connections:operate", "connection.verify", connectionInput, input, async ({ connectionId }, user) => {
    const r = await verifyOne(connectionId, actorOf(user), await requestIp());
    results = r.results;
    revalidate(connectionId);
    return { ok: true, message: r.message };
  });
  return outcome.ok ? { ...outcome, results } : outcome;
}

export async function revokeAction(input: FormData): Promise<ActionResult> {
  return guardedAction("connections:operate", "connection.revoke", connectionInput, input, async ({ connectionId }, user) => {
    const { message } = await revokeOne(connectionId, actorOf(user));
    revalidate(connectionId);
    return { ok: true, message };
  });
}

const keepFreshInput = connectionInput.extend({ keepFresh: z.enum(["on", "off"]) });

export async function setKeepFreshAction(input: FormData): Promise<ActionResult> {
  return guardedAction("connections:operate", "connection.keep_fresh", keepFreshInput, input, async ({ connectionId, keepFresh }, user) => {
    const r = await keepFreshOne(connectionId, keepFresh === "on", actorOf(user), await requestIp());
    if (r.changed) revalidate(connectionId);
    return { ok: true, message: r.message };
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
