"use server";
import { revalidatePath } from "next/cache";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { actorOf, recordAudit } from "@/lib/audit";
import { changeRoleSchema, newUserSchema, resetPasswordSchema, userIdSchema } from "@/lib/auth/schemas";
import { clearAccountThrottle } from "@/lib/auth/throttle";
import { ROLE_LABELS } from "@/lib/rbac";
import { changeRole, createUser, deleteUser, findUserById, isLastActiveAdmin, LAST_ADMIN_MESSAGE, resetPassword, setDisabled } from "@/lib/users";
import { z } from "zod";

export async function addUser(formData: FormData): Promise<ActionResult> {
  return guardedAction("users:manage", "user.create", newUserSchema, formData, async (input, user) => {
    const created = await createUser(input);
    await recordAudit({
      actor: actorOf(user),
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
    const { before, after } = await changeRole(userId, role);
    if (before !== role) {
      await recordAudit({
        actor: actorOf(user),
        action: "user.change_role",
        target: { type: "user", id: userId },
        detail: { email: after.email, before: { role: before }, after: { role } },
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
    const after = await setDisabled(userId, disabled);
    await recordAudit({
      actor: actorOf(user),
      action: disabled ? "user.disable" : "user.enable",
      target: { type: "user", id: userId },
      detail: { email: after.email },
      ip: await requestIp(),
    });
    revalidatePath("/settings/users");
    return { ok: true, message: `${after.email} was ${disabled ? "disabled" : "enabled"}.` };
  });
}

export async function removeUser(formData: FormData): Promise<ActionResult> {
  return guardedAction("users:manage", "user.delete", userIdSchema, formData, async ({ userId }, user) => {
    if (userId === user.id) {
      if (await isLastActiveAdmin(userId)) return { ok: false, error: LAST_ADMIN_MESSAGE };
      return { ok: false, error: "You cannot delete your own account while signed in with it. Ask another admin." };
    }
    const deleted = await deleteUser(userId);
    await recordAudit({
      actor: actorOf(user),
      action: "user.delete",
      target: { type: "user", id: userId },
      detail: { email: deleted.email, role: deleted.role },
      ip: await requestIp(),
    });
    revalidatePath("/settings/users");
    return { ok: true, message: `${deleted.email} was deleted.` };
  });
}

export async function resetUserPassword(formData: FormData): Promise<ActionResult> {
  return guardedAction("users:manage", "user.reset_password", resetPasswordSchema, formData, async ({ userId, newPassword }, user) => {
    if (userId === user.id) return { ok: false, error: "Change your own password on your account page, with your current one." };
    const reset = await resetPassword(userId, newPassword || undefined);
    await recordAudit({
      actor: actorOf(user),
      action: "user.reset_password",
      target: { type: "user", id: userId },
      // Whether it was generated, never the password itself.
      detail: { email: reset.user.email, generated: reset.generated },
      ip: await requestIp(),
    });
    revalidatePath("/settings/users");
    return {
      ok: true,
      message: `The password of ${reset.user.email} was reset; their sessions have ended.`,
      ...(reset.generated ? { oneTimePassword: reset.password } : {}),
    };
  });
}

export async function unlockUser(formData: FormData): Promise<ActionResult> {
  return guardedAction("users:manage", "user.unlock", userIdSchema, formData, async ({ userId }, user) => {
    const target = await findUserById(userId);
    if (!target) return { ok: false, error: "That user no longer exists." };
    const cleared = await clearAccountThrottle(target.email);
    await recordAudit({
      actor: actorOf(user),
      action: "user.unlock",
      target: { type: "user", id: userId },
      detail: { email: target.email, hadFailures: cleared },
      ip: await requestIp(),
    });
    revalidatePath("/settings/users");
    return { ok: true, message: `Sign-in of ${target.email} is no longer delayed. (A locked network address is lifted only at the server, with npm run admin:recover.)` };
  });
}
