"use server";
import { revalidatePath } from "next/cache";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { recordAudit } from "@/lib/audit";
import { changeRoleSchema, newUserSchema, userIdSchema } from "@/lib/auth/schemas";
import { ROLE_LABELS } from "@/lib/rbac";
import { changeRole, createUser, setDisabled } from "@/lib/users";
import { z } from "zod";

const actor = (u: { id: number; email: string }) => ({ type: "user" as const, id: u.id, label: u.email });

export async function addUser(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  return guardedAction("users:manage", "user.create", newUserSchema, formData, async (input, user) => {
    const created = await createUser(input);
    recordAudit({
      actor: actor(user),
      action: "user.create",
      target: { type: "user", id: created.id },
      detail: { email: created.email, role: created.role },
      ip: await requestIp(),
    });
    revalidatePath("/settings/users");
    return { ok: true, message: `${created.email} was added as ${ROLE_LABELS[created.role]}.` };
  });
}

export async function updateUserRole(formData: FormData): Promise<ActionResult> {
  return guardedAction("users:manage", "user.change_role", changeRoleSchema, formData, async ({ userId, role }, user) => {
    const { before, after } = changeRole(userId, role);
    if (before !== role) {
      recordAudit({
        actor: actor(user),
        action: "user.change_role",
        target: { type: "user", id: userId },
        detail: { email: after.email, from: before, to: role },
        ip: await requestIp(),
      });
    }
    revalidatePath("/settings/users");
    return { ok: true, message: `${after.email} is now ${ROLE_LABELS[role]}.` };
  });
}

const disableSchema = userIdSchema.extend({ disabled: z.enum(["true", "false"]).transform((v) => v === "true") });

export async function updateUserDisabled(formData: FormData): Promise<ActionResult> {
  return guardedAction("users:manage", "user.set_disabled", disableSchema, formData, async ({ userId, disabled }, user) => {
    if (disabled && userId === user.id) {
      return { ok: false, error: "You cannot disable your own account while signed in with it." };
    }
    const after = setDisabled(userId, disabled);
    recordAudit({
      actor: actor(user),
      action: disabled ? "user.disable" : "user.enable",
      target: { type: "user", id: userId },
      detail: { email: after.email },
      ip: await requestIp(),
    });
    revalidatePath("/settings/users");
    return { ok: true, message: `${after.email} was ${disabled ? "disabled" : "enabled"}.` };
  });
}
