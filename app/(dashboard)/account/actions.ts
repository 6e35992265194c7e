"use server";
import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { signIn } from "@/auth";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { actorOf, recordAudit } from "@/lib/audit";
import { changePasswordSchema } from "@/lib/auth/schemas";
import { changeOwnPassword } from "@/lib/users";

export async function changePassword(formData: FormData): Promise<ActionResult> {
  let email = "";
  const result = await guardedAction("console:view", "user.change_password", changePasswordSchema, formData, async ({ currentPassword, password }, user) => {
    await changeOwnPassword(user.id, currentPassword, password, await requestIp());
    await recordAudit({
      actor: actorOf(user),
      action: "user.change_password",
      target: { type: "user", id: user.id },
      detail: { email: user.email },
      ip: await requestIp(),
    });
    email = user.email;
    return { ok: true };
  });
  if (!result.ok) return result;
  // The change ended every session of the account, this one too: sign this browser in again
  // with the new password, so only the other sessions end.
  try {
    await signIn("credentials", { email, password: formData.get("password"), redirectTo: "/account?changed=1" });
  } catch (e) {
    if (e instanceof AuthError) redirect("/login?notice=password_changed");
    throw e; // the success redirect
  }
  return { ok: true };
}
