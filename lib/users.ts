import "server-only";
import { and, asc, count, eq, isNull, ne, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { apiKeys, connections, oauthAttempts, users, zohoClients, type Role, type UserRow } from "@/db/schema";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/password";
import { accountThrottles, attemptSucceeded, clearAccountThrottle, clearAddressLocks, reserveAttempt, throttleKeys } from "@/lib/auth/throttle";
import { UserError } from "@/lib/errors";

export interface UserDto {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}

export interface UserListItem extends UserDto {
  /** Failed sign-ins in the current throttle window. */
  failedSignIns: number;
  /** While in the future, the account's next sign-in attempt is refused (an admin may lift it). */
  signInDelayedUntil: string | null;
}

const toDto = (u: UserRow): UserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: u.disabledAt !== null,
  lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
  createdAt: u.createdAt.toISOString(),
});

const normaliseEmail = (email: string) => email.trim().toLowerCase();

export function hasAnyUser(): boolean {
  return getDb().select({ id: users.id }).from(users).limit(1).get() !== undefined;
}

export function findUserByEmail(email: string): UserRow | undefined {
  return getDb().select().from(users).where(eq(users.email, normaliseEmail(email))).get();
}

export function findUserById(id: number): UserRow | undefined {
  return getDb().select().from(users).where(eq(users.id, id)).get();
}

export async function listUsers(now = Date.now()): Promise<UserListItem[]> {
  const rows = getDb().select().from(users).orderBy(asc(users.createdAt), asc(users.id)).all();
  const throttles = await accountThrottles(rows.map((r) => r.email), now);
  return rows.map((r) => {
    const t = throttles.get(r.email);
    return { ...toDto(r), failedSignIns: t?.failures ?? 0, signInDelayedUntil: t?.delayedUntil?.toISOString() ?? null };
  });
}

interface NewUser {
  email: string;
  name: string;
  password: string;
  role: Role;
}

/** Creates the first admin; refuses once any user exists, so the set-up page closes for good. */
export async function createFirstAdmin(input: Omit<NewUser, "role">): Promise<UserDto> {
  // Checked before the costly hash too, so the closed set-up page cannot be used to burn CPU.
  if (hasAnyUser()) throw new UserError("The console is already set up. Sign in instead.");
  const passwordHash = await hashPassword(input.password);
  const db = getDb();
  return db.transaction((tx) => {
    if (tx.select({ id: users.id }).from(users).limit(1).get()) {
      throw new UserError("The console is already set up. Sign in instead.");
    }
    const row = tx
      .insert(users)
      .values({ email: normaliseEmail(input.email), name: input.name.trim(), passwordHash, role: "admin" })
      .returning()
      .get();
    return toDto(row);
  }, { behavior: "immediate" });
}

export async function createUser(input: NewUser): Promise<UserDto> {
  const email = normaliseEmail(input.email);
  if (findUserByEmail(email)) throw new UserError("A user with this email already exists.", "email");
  const passwordHash = await hashPassword(input.password);
  const row = getDb()
    .insert(users)
    .values({ email, name: input.name.trim(), passwordHash, role: input.role })
    .returning()
    .get();
  return toDto(row);
}

function otherActiveAdmins(tx: Pick<ReturnType<typeof getDb>, "select">, id: number): number {
  const row = tx
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, id)))
    .get();
  return row?.n ?? 0;
}

const LAST_ADMIN =
  "This is the last active admin. Make another user an admin first, so someone can still manage the console.";

export function changeRole(id: number, role: Role): { before: Role; after: UserDto } {
  return getDb().transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, id)).get();
    if (!user) throw new UserError("That user no longer exists.");
    if (user.role === "admin" && role !== "admin" && !user.disabledAt && otherActiveAdmins(tx, id) === 0) {
      throw new UserError(LAST_ADMIN);
    }
    const after = tx.update(users).set({ role }).where(eq(users.id, id)).returning().get();
    return { before: user.role, after: toDto(after) };
  }, { behavior: "immediate" });
}

export function setDisabled(id: number, disabled: boolean): UserDto {
  return getDb().transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, id)).get();
    if (!user) throw new UserError("That user no longer exists.");
    if (disabled && user.role === "admin" && !user.disabledAt && otherActiveAdmins(tx, id) === 0) {
      throw new UserError(LAST_ADMIN);
    }
    // Disabling also ends every open session (the version), not only refuses the next request.
    const row = tx
      .update(users)
      .set({ disabledAt: disabled ? (user.disabledAt ?? new Date()) : null, ...(disabled ? { sessionVersion: user.sessionVersion + 1 } : {}) })
      .where(eq(users.id, id))
      .returning()
      .get();
    return toDto(row);
  }, { behavior: "immediate" });
}

/** Ends every session of the user: JWTs carry the version they were issued under. */
export function endSessions(id: number) {
  getDb().update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, id)).run();
}

export function recordSignIn(id: number) {
  getDb().update(users).set({ lastSignInAt: sql`(unixepoch('subsec') * 1000)` }).where(eq(users.id, id)).run();
}

/** Whether this user is an active admin with no other active admin beside them. */
export async function isLastActiveAdmin(id: number): Promise<boolean> {
  const user = findUserById(id);
  return !!user && user.role === "admin" && !user.disabledAt && otherActiveAdmins(getDb(), id) === 0;
}

export { LAST_ADMIN as LAST_ADMIN_MESSAGE };

/**
 * Deletes a user. Never the last active admin; what they created stays, with its creator
 * forgotten; their unfinished authorization attempts go. The audit trail keeps their email.
 */
export async function deleteUser(id: number): Promise<UserDto> {
  const deleted = getDb().transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, id)).get();
    if (!user) throw new UserError("That user no longer exists.");
    if (user.role === "admin" && !user.disabledAt && otherActiveAdmins(tx, id) === 0) throw new UserError(LAST_ADMIN);
    tx.update(zohoClients).set({ createdBy: null }).where(eq(zohoClients.createdBy, id)).run();
    tx.update(connections).set({ createdBy: null }).where(eq(connections.createdBy, id)).run();
    tx.update(apiKeys).set({ createdBy: null }).where(eq(apiKeys.createdBy, id)).run();
    tx.update(apiKeys).set({ revokedBy: null }).where(eq(apiKeys.revokedBy, id)).run();
    tx.delete(oauthAttempts).where(eq(oauthAttempts.userId, id)).run();
    tx.delete(users).where(eq(users.id, id)).run();
    return toDto(user);
  }, { behavior: "immediate" });
  await clearAccountThrottle(deleted.email);
  return deleted;
}

function setPasswordIn(tx: Tx, user: UserRow, passwordHash: string) {
  tx.update(users)
    .set({ passwordHash, sessionVersion: user.sessionVersion + 1 })
    .where(eq(users.id, user.id))
    .run();
}

/**
 * An admin sets another user's password: the one typed, or a random one returned once. Every
 * session of the user ends, and a sign-in wait on the account is lifted.
 */
export async function resetPassword(id: number, typed: string | undefined): Promise<{ user: UserDto; password: string; generated: boolean }> {
  const password = typed || generatePassword();
  const passwordHash = await hashPassword(password);
  const user = getDb().transaction((tx) => {
    const row = tx.select().from(users).where(eq(users.id, id)).get();
    if (!row) throw new UserError("That user no longer exists.");
    setPasswordIn(tx, row, passwordHash);
    return toDto(row);
  }, { behavior: "immediate" });
  await clearAccountThrottle(user.email);
  return { user, password, generated: !typed };
}

/** A user changes their own password; the current one must be right. Ends every session. */
export async function changeOwnPassword(id: number, current: string, next: string, ip: string | null = null): Promise<UserDto> {
  const row = findUserById(id);
  if (!row) throw new UserError("That user no longer exists.");
  // Checked like a sign-in: a borrowed session must not be a way to guess the password freely.
  const keys = throttleKeys(row.email, ip);
  const reservation = await reserveAttempt(keys);
  if (!reservation.ok) {
    const seconds = Math.max(1, Math.ceil((reservation.refusal.until.getTime() - Date.now()) / 1000));
    throw new UserError(`Too many wrong current passwords: wait ${seconds} s before trying again.`, "currentPassword");
  }
  if (!(await verifyPassword(row.passwordHash, current))) throw new UserError("The current password is not right.", "currentPassword");
  await attemptSucceeded(keys);
  if (current === next) throw new UserError("Choose a password different from the current one.", "password");
  const passwordHash = await hashPassword(next);
  getDb().transaction((tx) => {
    const fresh = tx.select().from(users).where(eq(users.id, id)).get();
    if (!fresh || fresh.passwordHash !== row.passwordHash) throw new UserError("The password was changed meanwhile. Reload and try again.");
    setPasswordIn(tx, fresh, passwordHash);
  }, { behavior: "immediate" });
  return toDto(row);
}

export interface Recovery {
  user: UserDto;
  madeAdmin: boolean;
  /** It had been disabled. */
  reEnabled: boolean;
  addressLocksCleared: number;
}

/**
 * For someone at the server when nobody can sign in: the user becomes an enabled admin with the
 * given password, every session of theirs ends, the account's sign-in wait and every address
 * lock are lifted.
 */
export async function recoverAdmin(email: string, password: string): Promise<Recovery> {
  const passwordHash = await hashPassword(password);
  const result = getDb().transaction((tx) => {
    const row = tx.select().from(users).where(eq(users.email, normaliseEmail(email))).get();
    if (!row) throw new UserError(`No user has the email ${normaliseEmail(email)}.`);
    tx.update(users)
      .set({ role: "admin", disabledAt: null, passwordHash, sessionVersion: row.sessionVersion + 1 })
      .where(eq(users.id, row.id))
      .run();
    const after = tx.select().from(users).where(eq(users.id, row.id)).get()!;
    return { user: toDto(after), madeAdmin: row.role !== "admin", reEnabled: row.disabledAt !== null };
  }, { behavior: "immediate" });
  await clearAccountThrottle(result.user.email);
  return { ...result, addressLocksCleared: await clearAddressLocks() };
}

/** The emails of the admins, for the recovery command's help when the email given is unknown. */
export async function adminEmails(): Promise<string[]> {
  return getDb().select({ email: users.email }).from(users).where(eq(users.role, "admin")).orderBy(asc(users.id)).all().map((r) => r.email);
}
