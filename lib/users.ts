import "server-only";
import { and, asc, count, eq, isNull, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users, type Role, type UserRow } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
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

export function listUsers(): UserDto[] {
  return getDb().select().from(users).orderBy(asc(users.createdAt), asc(users.id)).all().map(toDto);
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
    const row = tx
      .update(users)
      .set({ disabledAt: disabled ? (user.disabledAt ?? new Date()) : null })
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
