import "server-only";
import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { loginThrottle } from "@/db/schema";
import { config } from "@/lib/config";

// Failures are counted per account and per address. An address gets more room than an
// account because several people may sign in from behind one NAT.
const IP_FACTOR = 4;

export const throttleKeys = (email: string, ip: string | null) =>
  [`email:${email.toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])];

function limitFor(key: string) {
  const max = config().LOGIN_MAX_FAILURES;
  return key.startsWith("ip:") ? max * IP_FACTOR : max;
}

/** The time until which sign-in is refused for any of these keys, or null. */
export function lockedUntil(keys: string[], now = Date.now()): Date | null {
  const rows = getDb().select().from(loginThrottle).where(inArray(loginThrottle.key, keys)).all();
  const until = rows
    .map((r) => r.lockedUntil?.getTime() ?? 0)
    .filter((t) => t > now)
    .sort((a, b) => b - a)[0];
  return until ? new Date(until) : null;
}

export function recordFailure(keys: string[], now = Date.now()) {
  const { LOGIN_LOCK_MINUTES } = config();
  const windowMs = LOGIN_LOCK_MINUTES * 60_000;
  const db = getDb();
  db.transaction((tx) => {
    for (const key of keys) {
      const row = tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
      const fresh = !row || now - row.windowStartedAt.getTime() > windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const locked = failures >= limitFor(key) ? new Date(now + windowMs) : (fresh ? null : row.lockedUntil);
      const values = {
        failures,
        windowStartedAt: fresh ? new Date(now) : row.windowStartedAt,
        lockedUntil: locked,
      };
      tx.insert(loginThrottle).values({ key, ...values }).onConflictDoUpdate({ target: loginThrottle.key, set: values }).run();
    }
  });
}

export function clearFailures(email: string) {
  getDb().delete(loginThrottle).where(eq(loginThrottle.key, `email:${email.toLowerCase()}`)).run();
}
