"use server";
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn, signOut } from "@/auth";
import { fieldErrorsOf, requestIp, type ActionResult } from "@/lib/actions";
import { actorOf, recordAudit } from "@/lib/audit";
import { setupSchema, signInSchema } from "@/lib/auth/schemas";
import { currentUser } from "@/lib/auth/session";
import { currentRefusal, throttleKeys } from "@/lib/auth/throttle";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { config } from "@/lib/config";
import { UserError } from "@/lib/errors";
import { createFirstAdmin, endSessions, findUserByEmail } from "@/lib/users";
import { currentDeviceId } from "@/lib/auth/known-device";

/** A callbackUrl is attacker-controlled: only a path on the console's own origin is followed. */
const safeCallback = (value: FormDataEntryValue | null) => safeCallbackPath(value, config().CONSOLE_PUBLIC_URL);

const secondsLeft = (until: Date | undefined) => Math.max(1, Math.ceil(((until?.getTime() ?? 0) - Date.now()) / 1000));

function minutesText(until: Date | undefined) {
  const minutes = Math.max(1, Math.ceil(((until?.getTime() ?? 0) - Date.now()) / 60_000));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export async function authenticate(formData: FormData): Promise<ActionResult> {
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) {
    return { ok: false, error: "Enter your email and password.", fieldErrors: fieldErrorsOf(parsed.error) };
  }
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeCallback(formData.get("callbackUrl")) });
    return { ok: true };
  } catch (e) {
    if (!(e instanceof AuthError)) throw e; // includes the success redirect
    const code = e instanceof CredentialsSignin ? e.code : undefined;
    if (code === "delayed" || code === "wrong_delayed" || code === "address_locked") {
      // The same keys the attempt was counted under (auth.ts): a known device has its own.
      const device = await currentDeviceId((await findUserByEmail(parsed.data.email))?.id);
      const refusal = await currentRefusal(throttleKeys(parsed.data.email, await requestIp(), device));
      if (code === "address_locked" || refusal?.kind === "address_locked") {
        return {
          ok: false,
          error: `Too many failed sign-ins from your network address. Sign-in from it is locked for ${minutesText(refusal?.until)}; try again then, or from another network. An administrator at the server can lift it at once with "npm run admin:recover".`,
        };
      }
      const wait = `wait ${secondsLeft(refusal?.until)} s before trying again`;
      const error =
        code === "wrong_delayed"
          ? `Wrong email or password. After repeated failures this account's sign-ins are slowed down: ${wait}.`
          : `Too many failed sign-ins for this account: ${wait}. An admin can lift the wait on the Users page.`;
      return { ok: false, error };
    }
    if (code === "disabled") return { ok: false, error: "This account is disabled. Ask an admin to enable it." };
    if (e.type === "CredentialsSignin") return { ok: false, error: "Wrong email or password." };
    return { ok: false, error: "Sign-in failed. Try again in a moment." };
  }
}

export async function setupAdmin(formData: FormData): Promise<ActionResult> {
  const parsed = setupSchema.safeParse(Object.fromEntries(formData.entries()));
  if (!parsed.success) {
    return { ok: false, error: "Some fields need attention.", fieldErrors: fieldErrorsOf(parsed.error) };
  }
  try {
    const admin = await createFirstAdmin(parsed.data);
    await recordAudit({
      actor: actorOf(admin),
      action: "console.setup",
      target: { type: "user", id: admin.id },
      detail: { role: "admin" },
      ip: await requestIp(),
    });
  } catch (e) {
    if (e instanceof UserError) return { ok: false, error: e.message };
    throw e;
  }
  await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/" });
  return { ok: true };
}

export async function signOutAction() {
  const user = await currentUser();
  if (user) {
    await endSessions(user.id);
    await recordAudit({ actor: actorOf(user), action: "auth.sign_out", ip: await requestIp() });
  }
  await signOut({ redirectTo: "/login" });
}
