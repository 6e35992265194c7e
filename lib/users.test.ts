import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ LOGIN_MAX_FAILURES: "2" });
const users = await import("./users");
const { reserveAttempt, throttleKeys, currentRefusal } = await import("@/lib/auth/throttle");
const { verifyPassword } = await import("@/lib/auth/password");
const { getDb } = await import("@/db/client");
const { heldTransaction, whenBlocked } = await import("@/test/races");
const schema = await import("@/db/schema");
const { and, eq, isNull } = await import("drizzle-orm");
afterAll(() => tmp.cleanup());

const PW = "initial-password-1";
const make = (email: string, role: "admin" | "operator" | "viewer" = "operator") => users.createUser({ email, name: email, password: PW, role });
const row = async (id: number) => (await users.findUserById(id))!;

// First, while the users table is still empty.
describe("two first-run set-ups at the same moment", () => {
  it("the second waits for the first and is told the console is already set up", async () => {
    expect(await users.hasAnyUser()).toBe(false);
    // Another set-up has written its admin and not committed yet; on PostgreSQL only the table
    // lock makes this one wait for it instead of finding the table empty and adding a second admin.
    const other = await heldTransaction((db) =>
      db.insert(schema.users).values({ email: "first-admin@x.test", name: "First", passwordHash: "x", role: "admin" }),
    );
    const second = users.createFirstAdmin({ email: "second-admin@x.test", name: "Second", password: PW });
    await whenBlocked(second);
    other.release();
    await other.done;
    await expect(second).rejects.toThrow(/already set up/);
    const all = await getDb().select({ email: schema.users.email, role: schema.users.role }).from(schema.users);
    expect(all).toEqual([{ email: "first-admin@x.test", role: "admin" }]);
    // The tests below count admins from an empty table.
    await getDb().delete(schema.users);
  });
});

describe("user management", () => {
  it("never deletes the last active admin; deletes others and keeps what they created", async () => {
    const admin = await make("root@x.test", "admin");
    await expect(users.deleteUser(admin.id)).rejects.toThrow(/last active admin/);
    const other = await make("second@x.test", "admin");
    const db = getDb();
    const [client] = await db
      .insert(schema.zohoClients)
      .values({ name: "c", realm: "sandbox", clientType: "server", clientId: "1000.X", secretEnc: "x", secretLast4: "abcd", secretUpdatedAt: new Date(), homeDc: "us", createdBy: other.id })
      .returning();
    await db
      .insert(schema.oauthAttempts)
      .values({ stateHash: "h", userId: other.id, clientRef: client.id, scopes: [], accessType: "offline", connectionName: "n", expiresAt: new Date() });
    expect((await users.deleteUser(other.id)).email).toBe("second@x.test");
    expect(await users.findUserById(other.id)).toBeUndefined();
    expect(await db.select().from(schema.zohoClients)).toMatchObject([{ id: client.id, createdBy: null }]);
    // With the second admin gone, the first is the last again.
    expect(await users.isLastActiveAdmin(admin.id)).toBe(true);
    await expect(users.deleteUser(admin.id)).rejects.toThrow(/last active admin/);
  });

  it("disabling ends the user's sessions; enabling does not hand old sessions back", async () => {
    const u = await make("dis@x.test");
    const before = (await row(u.id)).sessionVersion;
    await users.setDisabled(u.id, true);
    expect((await row(u.id)).sessionVersion).toBe(before + 1);
    await users.setDisabled(u.id, false);
    expect(await row(u.id)).toMatchObject({ disabledAt: null, sessionVersion: before + 1 });
  });

  it("an admin's reset sets a typed or a random password, ends sessions and lifts the sign-in wait", async () => {
    const u = await make("reset@x.test");
    for (let i = 0; i < 3; i++) await reserveAttempt(throttleKeys(u.email, null));
    expect(await currentRefusal(throttleKeys(u.email, null))).not.toBeNull();
    const v = (await row(u.id)).sessionVersion;
    const typed = await users.resetPassword(u.id, "typed-password-99");
    expect(typed).toMatchObject({ generated: false, password: "typed-password-99" });
    expect(await verifyPassword((await row(u.id)).passwordHash, "typed-password-99")).toBe(true);
    expect((await row(u.id)).sessionVersion).toBe(v + 1);
    expect(await currentRefusal(throttleKeys(u.email, null))).toBeNull();
    const random = await users.resetPassword(u.id, undefined);
    expect(random.generated).toBe(true);
    expect(random.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await verifyPassword((await row(u.id)).passwordHash, random.password)).toBe(true);
    expect(await verifyPassword((await row(u.id)).passwordHash, "typed-password-99")).toBe(false);
  });

  it("a user changes their own password only with the current one", async () => {
    const u = await make("self@x.test");
    await expect(users.changeOwnPassword(u.id, "not-the-password", "next-password-123")).rejects.toThrow(/current password is not right/);
    await expect(users.changeOwnPassword(u.id, PW, PW)).rejects.toThrow(/different/);
    const v = (await row(u.id)).sessionVersion;
    await users.changeOwnPassword(u.id, PW, "next-password-123");
    expect(await verifyPassword((await row(u.id)).passwordHash, "next-password-123")).toBe(true);
    expect((await row(u.id)).sessionVersion).toBe(v + 1);
  });

  it("guesses at the current password are slowed down like sign-ins", async () => {
    const u = await make("guessed@x.test");
    // LOGIN_MAX_FAILURES is 2 here: the next attempt waits, even with the right password.
    for (let i = 0; i < 2; i++) await expect(users.changeOwnPassword(u.id, `guess-${i}-password`, "next-password-123", "198.51.100.4")).rejects.toThrow(/current password is not right/);
    await expect(users.changeOwnPassword(u.id, PW, "next-password-123", "198.51.100.4")).rejects.toThrow(/Too many wrong current passwords: wait \d+ s/);
    expect(await verifyPassword((await row(u.id)).passwordHash, PW)).toBe(true);
  });

  it("recovery makes the user an enabled admin with the new password and lifts every lock", async () => {
    const u = await make("lost@x.test", "viewer");
    await users.setDisabled(u.id, true);
    for (let i = 0; i < 3; i++) await reserveAttempt(throttleKeys(u.email, null));
    for (let i = 0; i < 25; i++) await reserveAttempt(throttleKeys(`g${i}@x.test`, "203.0.113.9"));
    expect((await currentRefusal(["ip:203.0.113.9"]))?.kind).toBe("address_locked");
    const v = (await row(u.id)).sessionVersion;
    const r = await users.recoverAdmin("LOST@x.test", "recovered-password-1");
    expect(r).toMatchObject({ madeAdmin: true, reEnabled: true, addressLocksCleared: 1, user: { role: "admin", disabled: false } });
    expect((await row(u.id)).sessionVersion).toBe(v + 1);
    expect(await verifyPassword((await row(u.id)).passwordHash, "recovered-password-1")).toBe(true);
    expect(await currentRefusal(throttleKeys(u.email, "203.0.113.9"))).toBeNull();
    await expect(users.recoverAdmin("nobody@x.test", "recovered-password-1")).rejects.toThrow(/No user has the email nobody@x.test/);
  });

  it("the list shows each account's failed sign-ins and its wait", async () => {
    const u = await make("slow@x.test");
    const now = Date.now();
    for (let i = 0; i < 2; i++) await reserveAttempt(throttleKeys(u.email, null), now);
    const listed = (await users.listUsers(now)).find((x) => x.id === u.id)!;
    expect(listed).toMatchObject({ failedSignIns: 2, signInDelayedUntil: new Date(now + 1000).toISOString() });
    expect((await users.listUsers(now)).find((x) => x.email === "root@x.test")).toMatchObject({ failedSignIns: 0, signInDelayedUntil: null });
  });
});

describe("two admins acting on each other at the same moment", () => {
  // On PostgreSQL (READ COMMITTED) the two transactions really overlap: lib/users.ts locks the
  // active admins' rows before counting them, so the second one waits, re-reads and finds itself
  // the last. On SQLite the transactions run one after the other. Either way exactly one wins.
  let round = 0;
  /** Every other admin stepped down (behind the rules' back), then two fresh active admins. */
  async function twoAdmins() {
    await getDb().update(schema.users).set({ role: "viewer" }).where(eq(schema.users.role, "admin"));
    round++;
    return [await make(`race-a${round}@x.test`, "admin"), await make(`race-b${round}@x.test`, "admin")];
  }
  const activeAdmins = async () =>
    (await getDb().select({ id: schema.users.id }).from(schema.users).where(and(eq(schema.users.role, "admin"), isNull(schema.users.disabledAt)))).map((r) => r.id);

  /** One of the two settled calls succeeded, the other was refused as the last admin's. */
  function oneRefused(results: PromiseSettledResult<unknown>[]): number {
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.findIndex((r) => r.status === "rejected");
    expect((results[refused] as PromiseRejectedResult).reason).toMatchObject({ message: users.LAST_ADMIN_MESSAGE });
    return refused;
  }

  // A few rounds each: one lucky interleaving must not be what makes the test pass.
  const ROUNDS = 3;

  it("demoting each other leaves exactly one active admin", async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const [a, b] = await twoAdmins();
      const refused = oneRefused(await Promise.allSettled([users.changeRole(a.id, "viewer"), users.changeRole(b.id, "viewer")]));
      const survivor = refused === 0 ? a : b;
      expect(await activeAdmins()).toEqual([survivor.id]);
      expect((await row(refused === 0 ? b.id : a.id)).role).toBe("viewer");
    }
  });

  it("disabling each other leaves exactly one active admin", async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const [a, b] = await twoAdmins();
      const refused = oneRefused(await Promise.allSettled([users.setDisabled(a.id, true), users.setDisabled(b.id, true)]));
      const survivor = refused === 0 ? a : b;
      expect(await activeAdmins()).toEqual([survivor.id]);
      expect((await row(survivor.id)).disabledAt).toBeNull();
      expect((await row(refused === 0 ? b.id : a.id)).disabledAt).not.toBeNull();
    }
  });

  it("deleting one while the other steps down leaves exactly one active admin", async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const [a, b] = await twoAdmins();
      const refused = oneRefused(await Promise.allSettled([users.deleteUser(a.id), users.changeRole(b.id, "viewer")]));
      if (refused === 0) {
        // The step-down won: a stays, the last active admin.
        expect(await activeAdmins()).toEqual([a.id]);
        expect((await row(b.id)).role).toBe("viewer");
      } else {
        // The deletion won: b is the last active admin and kept the role.
        expect(await users.findUserById(a.id)).toBeUndefined();
        expect(await activeAdmins()).toEqual([b.id]);
      }
    }
  });
});
