import "server-only";
import { and, asc, count, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { getDb, tx, type Db } from "@/db/client";
import { lockRows, lockTable, nowMs } from "@/db/dialect";
import { apiKeys, connectLinks, connections, oauthAttempts, users, zohoClients, type Role, type UserRow } from "@/db/schema";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/password";
import { accountThrottles, attemptSucceeded, clearAccountThrottle, clearAddressLocks, reserveAttempt, throttleKeys } from "@/lib/auth/throttle";
import { systemActor } from "@/lib/audit";
import { auditLink } from "@/lib/connect-links/audit";
import { OPEN_STATES } from "@/lib/connect-links/view";
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

export async function hasAnyUser(): Promise<boolean> {
  const found = await getDb().select({ id: users.id }).from(users).limit(1);
  return found.length > 0;
}

export async function findUserByEmail(email: string): Promise<UserRow | undefined> {
  const [row] = await getDb().select().from(users).where(eq(users.email, normaliseEmail(email)));
  return row;
}

export async function findUserById(id: number): Promise<UserRow | undefined> {
  const [row] = await getDb().select().from(users).where(eq(users.id, id));
  return row;
}

export async function listUsers(now = Date.now()): Promise<UserListItem[]> {
  const rows = await getDb().select().from(users).orderBy(asc(users.createdAt), asc(users.id));
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
  if (await hasAnyUser()) throw new UserError("The console is already set up. Sign in instead.");
  const passwordHash = await hashPassword(input.password);
  return tx(async (db) => {
    // Two set-up forms sent at once on PostgreSQL: the table lock makes the second see the first.
    await lockTable(db, users);
    if ((await db.select({ id: users.id }).from(users).limit(1)).length) {
      throw new UserError("The console is already set up. Sign in instead.");
    }
    const [row] = await db
      .insert(users)
      .values({ email: normaliseEmail(input.email), name: input.name.trim(), passwordHash, role: "admin" })
      .returning();
    return toDto(row);
  });
}

export async function createUser(input: NewUser): Promise<UserDto> {
  const email = normaliseEmail(input.email);
  if (await findUserByEmail(email)) throw new UserError("A user with this email already exists.", "email");
  const passwordHash = await hashPassword(input.password);
  const [row] = await getDb().insert(users).values({ email, name: input.name.trim(), passwordHash, role: input.role }).returning();
  return toDto(row);
}

const activeAdmin = and(eq(users.role, "admin"), isNull(users.disabledAt));

/** Active admins besides `id` (callers that may remove an admin lock their rows first: userForAdminRule). */
async function otherActiveAdmins(db: Db, id: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users).where(and(activeAdmin, ne(users.id, id)));
  return row?.n ?? 0;
}

const LAST_ADMIN =
  "This is the last active admin. Make another user an admin first, so someone can still manage the console.";

/**
 * The user's row and whether they are the last active admin, read inside a transaction after
 * the active admins' rows were locked: two admins demoting (or disabling, deleting) each other
 * at once on PostgreSQL then count one after the other, and the second finds itself the last.
 */
async function userForAdminRule(db: Db, id: number): Promise<{ user: UserRow; lastAdmin: boolean }> {
  await lockRows(db, users, activeAdmin);
  const [user] = await db.select().from(users).where(eq(users.id, id));
  if (!user) throw new UserError("That user no longer exists.");
  const lastAdmin = user.role === "admin" && !user.disabledAt && (await otherActiveAdmins(db, id)) === 0;
  return { user, lastAdmin };
}

export async function changeRole(id: number, role: Role): Promise<{ before: Role; after: UserDto }> {
  return tx(async (db) => {
    const { user, lastAdmin } = await userForAdminRule(db, id);
    if (lastAdmin && role !== "admin") throw new UserError(LAST_ADMIN);
    const [after] = await db.update(users).set({ role }).where(eq(users.id, id)).returning();
    return { before: user.role, after: toDto(after) };
  });
}

export async function setDisabled(id: number, disabled: boolean): Promise<UserDto> {
  return tx(async (db) => {
    const { user, lastAdmin } = await userForAdminRule(db, id);
    if (disabled && lastAdmin) throw new UserError(LAST_ADMIN);
    // Disabling also ends every open session (the version), not only refuses the next request.
    const [row] = await db
      .update(users)
      .set({ disabledAt: disabled ? (user.disabledAt ?? new Date()) : null, ...(disabled ? { sessionVersion: user.sessionVersion + 1 } : {}) })
      .where(eq(users.id, id))
      .returning();
    return toDto(row);
  });
}

/** Ends every session of the user: JWTs carry the version they were issued under. */
export async function endSessions(id: number) {
  await getDb().update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, id));
}

export async function recordSignIn(id: number) {
  await getDb().update(users).set({ lastSignInAt: nowMs() }).where(eq(users.id, id));
}

/** Whether this user is an active admin with no other active admin beside them. */
export async function isLastActiveAdmin(id: number): Promise<boolean> {
  const user = await findUserById(id);
  return !!user && user.role === "admin" && !user.disabledAt && (await otherActiveAdmins(getDb(), id)) === 0;
}

export { LAST_ADMIN as LAST_ADMIN_MESSAGE };

/**
 * Deletes a user. Never the last active admin; what they created stays, with its creator
 * forgotten; their unfinished authorization attempts and open connect links go. The audit trail keeps their email.
 */
export async function deleteUser(id: number): Promise<UserDto> {
  const deleted = await tx(async (db) => {
    const { user, lastAdmin } = await userForAdminRule(db, id);
    if (lastAdmin) throw new UserError(LAST_ADMIN);
    await db.update(zohoClients).set({ createdBy: null }).where(eq(zohoClients.createdBy, id));
    await db.update(connections).set({ createdBy: null }).where(eq(connections.createdBy, id));
    await db.update(apiKeys).set({ createdBy: null }).where(eq(apiKeys.createdBy, id));
    await db.update(apiKeys).set({ revokedBy: null }).where(eq(apiKeys.revokedBy, id));
    // Their open links end with them: a link runs on its creator's behalf.
    const now = new Date();
    const ended = await db
      .update(connectLinks)
      .set({ state: "revoked", stateReason: "creator_deleted", revokedAt: now, updatedAt: now })
      .where(and(eq(connectLinks.createdBy, id), inArray(connectLinks.state, [...OPEN_STATES])))
      .returning({ id: connectLinks.id });
    for (const link of ended) await auditLink({ actor: systemActor, step: "revoke", linkId: link.id, detail: { reason: "creator_deleted" } }, db);
    await db.update(connectLinks).set({ createdBy: null }).where(eq(connectLinks.createdBy, id));
    await db.update(connectLinks).set({ revokedBy: null }).where(eq(connectLinks.revokedBy, id));
    await db.delete(oauthAttempts).where(eq(oauthAttempts.userId, id));
    await db.delete(users).where(eq(users.id, id));
    return toDto(user);
  });
  await clearAccountThrottle(deleted.email);
  return deleted;
}

async function setPasswordIn(db: Db, user: UserRow, passwordHash: string) {
  await db.update(users).set({ passwordHash, sessionVersion: user.sessionVersion + 1 }).where(eq(users.id, user.id));
}

/**
 * An admin sets another user's password: the one typed, or a random one returned once. Every
 * session of the user ends, and a sign-in wait on the account is lifted.
 */
export async function resetPassword(id: number, typed: string | undefined): Promise<{ user: UserDto; password: string; generated: boolean }> {
  const password = typed || generatePassword();
  const passwordHash = await hashPassword(password);
  const user = await tx(async (db) => {
    await lockRows(db, users, eq(users.id, id));
    const [row] = await db.select().from(users).where(eq(users.id, id));
    if (!row) throw new UserError("That user no longer exists.");
    await setPasswordIn(db, row, passwordHash);
    return toDto(row);
  });
  await clearAccountThrottle(user.email);
  return { user, password, generated: !typed };
}

/** A user changes their own password; the current one must be right. Ends every session. */
export async function changeOwnPassword(id: number, current: string, next: string, ip: string | null = null): Promise<UserDto> {
  const row = await findUserById(id);
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
  await tx(async (db) => {
    await lockRows(db, users, eq(users.id, id));
    const [fresh] = await db.select().from(users).where(eq(users.id, id));
    if (!fresh || fresh.passwordHash !== row.passwordHash) throw new UserError("The password was changed meanwhile. Reload and try again.");
    await setPasswordIn(db, fresh, passwordHash);
  });
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
  const result = await tx(async (db) => {
    await lockRows(db, users, eq(users.email, normaliseEmail(email)));
    const [row] = await db.select().from(users).where(eq(users.email, normaliseEmail(email)));
    if (!row) throw new UserError(`No user has the email ${normaliseEmail(email)}.`);
    const [after] = await db
      .update(users)
      .set({ role: "admin", disabledAt: null, passwordHash, sessionVersion: row.sessionVersion + 1 })
      .where(eq(users.id, row.id))
      .returning();
    return { user: toDto(after), madeAdmin: row.role !== "admin", reEnabled: row.disabledAt !== null };
  });
  await clearAccountThrottle(result.user.email);
  return { ...result, addressLocksCleared: await clearAddressLocks() };
}

/** The emails of the admins, for the recovery command's help when the email given is unknown. */
export async function adminEmails(): Promise<string[]> {
  const rows = await getDb().select({ email: users.email }).from(users).where(eq(users.role, "admin")).orderBy(asc(users.id));
  return rows.map((r) => r.email);
}
