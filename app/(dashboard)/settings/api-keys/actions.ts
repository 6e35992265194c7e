"use server";
import { revalidatePath } from "next/cache";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { actorOf } from "@/lib/audit";
import { createKeySchema, keyIdSchema, updateKeySchema } from "@/lib/api-keys/input";
import { createApiKey, revokeApiKey, updateApiKey } from "@/lib/api-keys/store";

// The store refuses what only the database can know (a chosen connection gone, a key already
// revoked) with a UserError; guardedAction shows it on the form, at the field it concerns.

// Connection pages list the keys that used them, by name and state.
function revalidateKeyPages(id?: number) {
  revalidatePath("/settings/api-keys");
  if (id) revalidatePath(`/settings/api-keys/${id}`);
  revalidatePath("/connections/[id]", "page");
}

export async function createKey(formData: FormData): Promise<ActionResult> {
  return guardedAction("keys:manage", "api_key.create", createKeySchema, formData, async (input, user) => {
    // createApiKey records the audit event; the key in clear leaves here once, in this answer.
    const { id, key, prefix } = await createApiKey(input, actorOf(user), await requestIp());
    revalidatePath("/settings/api-keys");
    return { ok: true, message: `API key “${input.name}” (${prefix}…) created.`, created: { id, key } };
  });
}

export async function updateKey(formData: FormData): Promise<ActionResult> {
  return guardedAction("keys:manage", "api_key.update", updateKeySchema, formData, async (input, user) => {
    const after = await updateApiKey(input, actorOf(user), await requestIp());
    revalidateKeyPages(after.id);
    return { ok: true, message: `API key “${after.name}” saved.` };
  });
}

export async function revokeKey(formData: FormData): Promise<ActionResult> {
  return guardedAction("keys:manage", "api_key.revoke", keyIdSchema, formData, async ({ id }, user) => {
    const after = await revokeApiKey(id, actorOf(user), await requestIp());
    revalidateKeyPages(after.id);
    return { ok: true, message: `API key “${after.name}” revoked. Services using it are refused from now on.` };
  });
}
