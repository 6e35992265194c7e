import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authConfig } from "./auth.config";
import { signInSchema } from "@/lib/auth/schemas";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import { attemptSucceeded, currentRefusal, reserveAttempt, throttleKeys } from "@/lib/auth/throttle";
import { endSessions, findUserByEmail, findUserById, recordSignIn } from "@/lib/users";
import { recordAudit } from "@/lib/audit";
import { authSecret } from "@/lib/secrets";
import { clientIp } from "@/lib/request-ip";
import { currentDeviceId, rememberDevice } from "@/lib/auth/known-device";

// The sign-in action turns these codes into messages with the wait (app/(auth)/actions.ts).
class Delayed extends CredentialsSignin {
  code = "delayed";
}
class WrongThenDelayed extends CredentialsSignin {
  code = "wrong_delayed";
}
class AddressLocked extends CredentialsSignin {
  code = "address_locked";
}
class Disabled extends CredentialsSignin {
  code = "disabled";
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig,
  secret: authSecret(),
  logger: {
    // A wrong password is an expected outcome (audited above), not a server error with a stack trace.
    error(error: Error) {
      if (error instanceof CredentialsSignin || error.name === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
  },
  callbacks: {
    ...authConfig.callbacks,
    // Every read of a session checks it against the database: a token from before a sign-out
    // (or a copy of one), of a disabled or deleted account, is no session at all, also for
    // /api/auth/session.
    async jwt(params) {
      const token = authConfig.callbacks.jwt(params);
      if (params.user) return token;
      const id = Number(token.uid);
      const row = Number.isInteger(id) && id > 0 ? await findUserById(id) : undefined;
      if (!row || row.disabledAt || row.sessionVersion !== Number(token.sv ?? 0)) return null;
      return token;
    },
  },
  events: {
    // Whichever way a session ends (the console's button or POST /api/auth/signout), it ends on
    // the server too: every token of that user issued before now stops working.
    async signOut(message) {
      const id = "token" in message ? Number(message.token?.uid) : NaN;
      if (Number.isInteger(id) && id > 0) await endSessions(id);
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const ip = clientIp(request.headers);
        const user = await findUserByEmail(email);
        const device = await currentDeviceId(user?.id);
        const keys = throttleKeys(email, ip, device);
        const anon = { type: "anonymous" as const, label: email };
        // Failed sign-ins are folded per address and minute (lib/audit/record.ts); those naming
        // one of the console's accounts are counted per account, a bounded set. Unknown emails
        // share one row whatever an attacker sends.
        const foldBy = user ? `user:${user.id}` : undefined;
        const reservation = await reserveAttempt(keys);
        if (!reservation.ok) {
          const { kind } = reservation.refusal;
          await recordAudit({ actor: anon, action: "auth.sign_in", outcome: "denied", detail: { reason: kind }, ip, foldBy });
          throw kind === "address_locked" ? new AddressLocked() : new Delayed();
        }
        const ok = user ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
        if (!user || !ok) {
          await recordAudit({ actor: anon, action: "auth.sign_in", outcome: "failure", detail: { reason: "bad_credentials" }, ip, foldBy });
          // That failure may have started a wait (or locked the address): say so now.
          const refusal = await currentRefusal(keys);
          if (refusal) throw refusal.kind === "address_locked" ? new AddressLocked() : new WrongThenDelayed();
          return null;
        }
        if (user.disabledAt) {
          await recordAudit({ actor: anon, action: "auth.sign_in", outcome: "denied", detail: { reason: "disabled" }, ip, foldBy });
          throw new Disabled();
        }
        await attemptSucceeded(keys);
        await rememberDevice(user.id);
        await recordSignIn(user.id);
        await recordAudit({ actor: { type: "user", id: user.id, label: user.email }, action: "auth.sign_in", ip });
        return { id: String(user.id), email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
      },
    }),
  ],
}));
