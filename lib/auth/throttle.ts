import "server-only";
import { and, eq, gt, inArray, like, or, sql } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { lockRows } from "@/db/dialect";
import { loginThrottle } from "@/db/schema";
import { config } from "@/lib/config";

// Two different guards, because they protect against different people:
// - per ACCOUNT, a growing delay: after LOGIN_MAX_FAILURES failures every further attempt must
//   wait 1, 2, 4 … seconds, capped at LOGIN_MAX_DELAY_SECONDS. Guessing stays slow, yet no
//   stranger can keep the real owner out for longer than the cap: a hard account lock would let
//   anyone lock the admin out with a handful of wrong passwords.
// - per ADDRESS, a hard lock: LOGIN_ADDRESS_MAX_FAILURES failures lock the address for
//   LOGIN_LOCK_MINUTES. The attacker's address is shut; the owner elsewhere is not.
// A refused attempt is not counted: it costs no password check and must not lengthen anything.

// A known device (lib/auth/known-device.ts) is counted apart from its account, with the same
// growing wait: strangers' failures do not slow its owner down, its own failures slow it alone.

const normal = (email: string) => email.trim().toLowerCase();
export const accountKey = (email: string) => `email:${normal(email)}`;
export const addressKey = (ip: string) => `ip:${ip}`;
const devicePrefix = (email: string) => `device:${normal(email)}:`;
export const deviceKey = (email: string, deviceId: string) => `${devicePrefix(email)}${deviceId}`;

/** The keys one sign-in attempt is counted under: the account (or the known device it comes from) and the address. */
export const throttleKeys = (email: string, ip: string | null, deviceId?: string | null) => [
  deviceId ? deviceKey(email, deviceId) : accountKey(email),
  ...(ip ? [addressKey(ip)] : []),
];

export type Refusal = { kind: "delayed" | "address_locked"; until: Date };
export type Reservation = { ok: true } | { ok: false; refusal: Refusal };

const windowMs = () => config().LOGIN_LOCK_MINUTES * 60_000;
const isAddress = (key: string) => key.startsWith("ip:");

/** The wait imposed after the `failures`-th failure of an account; 0 while under the limit. */
export function accountDelayMs(failures: number): number {
  const { LOGIN_MAX_FAILURES: free, LOGIN_MAX_DELAY_SECONDS: cap } = config();
  if (failures < free) return 0;
  return Math.min(cap, 2 ** Math.min(failures - free, 30)) * 1000;
}

function lockAfter(key: string, failures: number, now: number): Date | null {
  if (isAddress(key)) return failures >= config().LOGIN_ADDRESS_MAX_FAILURES ? new Date(now + windowMs()) : null;
  const delay = accountDelayMs(failures);
  return delay > 0 ? new Date(now + delay) : null;
}

type Row = typeof loginThrottle.$inferSelect;

/** The refusal these rows impose at `now`: an address lock first (it is the longer one). */
function refusalOf(rows: Row[], now: number): Refusal | null {
  const active = (r: Row) => (r.lockedUntil?.getTime() ?? 0) > now;
  const address = rows.find((r) => isAddress(r.key) && active(r));
  if (address) return { kind: "address_locked", until: address.lockedUntil! };
  const account = rows.find((r) => !isAddress(r.key) && active(r));
  return account ? { kind: "delayed", until: account.lockedUntil! } : null;
}

/** Why sign-in with these keys would be refused now, and until when; null when it would not. */
export async function currentRefusal(keys: string[], now = Date.now()): Promise<Refusal | null> {
  return refusalOf(await getDb().select().from(loginThrottle).where(inArray(loginThrottle.key, keys)), now);
}

/** A refusal found inside reserveAttempt's transaction: thrown so that it writes nothing. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.kind);
  }
}

/**
 * Counts an attempt BEFORE the password is checked, in one transaction, so parallel guesses
 * cannot all slip in while the slow hash runs. The keys' rows are made (empty) if missing and
 * locked before they are read, so concurrent attempts on PostgreSQL count one after the other as
 * they do on SQLite; a refused attempt rolls all of that back and leaves nothing behind. A
 * successful sign-in hands the attempt back with `attemptSucceeded`.
 */
export async function reserveAttempt(keys: string[], now = Date.now()): Promise<Reservation> {
  try {
    return await reserve(keys, now);
  } catch (e) {
    if (e instanceof Refused) return { ok: false, refusal: e.refusal };
    throw e;
  }
}

function reserve(keys: string[], now: number): Promise<Reservation> {
  return tx(async (db) => {
    await db
      .insert(loginThrottle)
      .values(keys.map((key) => ({ key, failures: 0, windowStartedAt: new Date(now) })))
      .onConflictDoNothing({ target: loginThrottle.key });
    await lockRows(db, loginThrottle, inArray(loginThrottle.key, keys));
    const rows = await db.select().from(loginThrottle).where(inArray(loginThrottle.key, keys));
    const refusal = refusalOf(rows, now);
    if (refusal) throw new Refused(refusal);
    for (const key of keys) {
      const row = rows.find((r) => r.key === key);
      const fresh = !row || now - row.windowStartedAt.getTime() > windowMs();
      const failures = fresh ? 1 : row.failures + 1;
      const values = {
        failures,
        windowStartedAt: fresh ? new Date(now) : row.windowStartedAt,
        lockedUntil: lockAfter(key, failures, now),
      };
      await db.update(loginThrottle).set(values).where(eq(loginThrottle.key, key));
    }
    return { ok: true as const };
  });
}

/** The password was right: forget the account's failures and give the address its attempt back. */
export async function attemptSucceeded(keys: string[]): Promise<void> {
  await tx(async (db) => {
    for (const key of keys) {
      if (!isAddress(key)) {
        await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
        continue;
      }
      await lockRows(db, loginThrottle, eq(loginThrottle.key, key));
      const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
      if (!row) continue;
      const failures = Math.max(0, row.failures - 1);
      await db
        .update(loginThrottle)
        .set({ failures, lockedUntil: failures >= config().LOGIN_ADDRESS_MAX_FAILURES ? row.lockedUntil : null })
        .where(eq(loginThrottle.key, key));
    }
  });
}

export interface AccountThrottle {
  /** Failed sign-ins in the current window. */
  failures: number;
  /** While in the future, the next attempt is refused. */
  delayedUntil: Date | null;
}

/** The throttle state of these accounts (by email), for the users page; accounts without failures are absent. */
export async function accountThrottles(emails: string[], now = Date.now()): Promise<Map<string, AccountThrottle>> {
  const out = new Map<string, AccountThrottle>();
  if (emails.length === 0) return out;
  const rows = await getDb()
    .select()
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, emails.map(accountKey)));
  for (const r of rows) {
    if (now - r.windowStartedAt.getTime() > windowMs() && (r.lockedUntil?.getTime() ?? 0) <= now) continue;
    const delayedUntil = r.lockedUntil && r.lockedUntil.getTime() > now ? r.lockedUntil : null;
    out.set(r.key.slice("email:".length), { failures: r.failures, delayedUntil });
  }
  return out;
}

/** An admin's unlock: the account's failures (and its known devices') are forgotten, its next attempt is not delayed. */
export async function clearAccountThrottle(email: string): Promise<boolean> {
  const prefix = devicePrefix(email);
  const deleted = await getDb()
    .delete(loginThrottle)
    .where(or(eq(loginThrottle.key, accountKey(email)), sql`substr(${loginThrottle.key}, 1, ${prefix.length}) = ${prefix}`))
    .returning({ key: loginThrottle.key });
  return deleted.length > 0;
}

/** Every address lock still running (for the recovery command, run by someone at the server). */
export async function clearAddressLocks(now = Date.now()): Promise<number> {
  const deleted = await getDb()
    .delete(loginThrottle)
    .where(and(like(loginThrottle.key, "ip:%"), gt(loginThrottle.lockedUntil, new Date(now))))
    .returning({ key: loginThrottle.key });
  return deleted.length;
}
