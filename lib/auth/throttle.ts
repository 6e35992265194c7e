import "server-only";
import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { loginThrottle } from "@/db/schema";
import { config } from "@/lib/config";

// Attempts are counted per account and per address. An address gets more room than an
// account because several people may sign in from behind one NAT.
const IP_FACTOR = 4;

export const throttleKeys = (email: string, ip: string | null) =>
  [`email:${email.toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])];

function limitFor(key: string) {
  const max = config().LOGIN_MAX_FAILURES;
  return key.startsWith("ip:") ? max * IP_FACTOR : max;
}

const windowMs = () => config().LOGIN_LOCK_MINUTES * 60_000;

/** The time until which sign-in is refused for any of these keys, or null. */
export function lockedUntil(keys: string[], now = Date.now()): Date | null {
  const rows = getDb().select().from(loginThrottle).where(inArray(loginThrottle.key, keys)).all();
  const until = rows
    .map((r) => r.lockedUntil?.getTime() ?? 0)
    .filter((t) => t > now)
    .sort((a, b) => b - a)[0];
  return until ? new Date(until) : null;
}

/**
 * Counts an attempt BEFORE the password is checked, in one immediate transaction, so parallel
 * guesses cannot all slip in while the slow hash runs. Returns false when sign-in is locked.
 * A successful sign-in hands the attempt back with `attemptSucceeded`.
 */
export function reserveAttempt(keys: string[], now = Date.now()): boolean {
  return getDb().transaction((tx) => {
    const rows = tx.select().from(loginThrottle).where(inArray(loginThrottle.key, keys)).all();
    if (rows.some((r) => (r.lockedUntil?.getTime() ?? 0) > now)) return false;
    for (const key of keys) {
      const row = rows.find((r) => r.key === key);
      const fresh = !row || now - row.windowStartedAt.getTime() > windowMs();
      const failures = fresh ? 1 : row.failures + 1;
      const values = {
        failures,
        windowStartedAt: fresh ? new Date(now) : row.windowStartedAt,
        lockedUntil: failures >= limitFor(key) ? new Date(now + windowMs()) : null,
      };
      tx.insert(loginThrottle).values({ key, ...values }).onConflictDoUpdate({ target: loginThrottle.key, set: values }).run();
    }
    return true;
  }, { behavior: "immediate" });
}

/** The password was right: forget the account's failures and give the address its attempt back. */
export function attemptSucceeded(keys: string[]) {
  getDb().transaction((tx) => {
    for (const key of keys) {
      if (key.startsWith("email:")) {
        tx.delete(loginThrottle).where(eq(loginThrottle.key, key)).run();
        continue;
      }
      const row = tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
      if (!row) continue;
      const failures = Math.max(0, row.failures - 1);
      tx.update(loginThrottle)
        .set({ failures, lockedUntil: failures >= limitFor(key) ? row.lockedUntil : null })
        .where(eq(loginThrottle.key, key))
        .run();
    }
  }, { behavior: "immediate" });
}
