import "server-only";
import { forbidden, redirect } from "next/navigation";
import { auth } from "@/auth";
import type { Role } from "@/db/schema";
import { can, type Permission } from "@/lib/rbac";
import { findUserById } from "@/lib/users";

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
}

// The JWT says who signed in; the database says what they may do now. Reading the row on every
// check makes a role change or a disabled account take effect at once.
export async function currentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!Number.isInteger(id) || id <= 0) return null;
  const row = await findUserById(id);
  if (!row || row.disabledAt) return null;
  // A token from before the last sign-out (or a stolen copy of it) no longer counts.
  const version = (session?.user as { sessionVersion?: number } | undefined)?.sessionVersion ?? 0;
  if (version !== row.sessionVersion) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/** For pages: signed-out visitors go to sign-in. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

/**
 * For pages a role may not open: signed-out visitors go to sign-in, others without the
 * permission get HTTP 403 and the forbidden page. Call it before any Suspense boundary streams.
 */
export async function requirePermission(permission: Permission): Promise<SessionUser> {
  const user = await requireUser();
  if (!can(user.role, permission)) forbidden();
  return user;
}

export class AuthorizationError extends Error {
  constructor(
    readonly reason: "signed_out" | "forbidden",
    /** Who was refused, when known: the audit trail names them. */
    readonly user?: SessionUser,
  ) {
    super(reason === "signed_out" ? "Your session has ended. Sign in again." : "Your role does not allow this action.");
    this.name = "AuthorizationError";
  }
}

/** For server actions and route handlers: throws unless the caller holds the permission. */
export async function authorize(permission: Permission): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AuthorizationError("signed_out");
  if (!can(user.role, permission)) throw new AuthorizationError("forbidden", user);
  return user;
}
