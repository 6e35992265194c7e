"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { actorOf, recordAudit } from "@/lib/audit";
import { deleteView, saveView } from "@/lib/saved-views";
import { saveViewInput } from "@/lib/saved-views-rules";

// Saved views are a person's own: anyone signed in saves and deletes theirs, never another's.

export async function saveViewAction(input: FormData): Promise<ActionResult> {
  return guardedAction("console:view", "view.save", saveViewInput, input, async ({ name, href }, user) => {
    const { view, replaced } = await saveView(user.id, name, href);
    await recordAudit({ actor: actorOf(user), action: "view.save", detail: { name, href, ...(replaced ? { replaced } : {}) }, ip: await requestIp() });
    revalidatePath("/", "layout");
    return { ok: true, message: replaced ? `“${view.name}” now opens this view.` : `Saved “${view.name}”: it is in the sidebar.` };
  });
}

export async function deleteViewAction(input: FormData): Promise<ActionResult> {
  return guardedAction("console:view", "view.delete", z.object({ id: z.coerce.number().int().positive() }), input, async ({ id }, user) => {
    const gone = await deleteView(user.id, id);
    if (!gone) return { ok: false, error: "That view no longer exists." };
    await recordAudit({ actor: actorOf(user), action: "view.delete", detail: { name: gone.name, href: gone.href }, ip: await requestIp() });
    revalidatePath("/", "layout");
    return { ok: true, message: `Deleted “${gone.name}”.` };
  });
}
