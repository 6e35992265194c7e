import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ LOGIN_MAX_FAILURES: "2" });
const users = await import("./users");
const { reserveAttempt, throttleKeys, currentRefusal } = await import("@/lib/auth/throttle");
const { verifyPassword } = await import("@/lib/auth/password");
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
afterAll(() => tmp.cleanup());

const PW = "initial-password-1";
const make = (email: string, role: "admin" | "operator" | "viewer" = "operator") => users.createUser({ email, name: email, password: PW, role });
const row = (id: number) => users.findUserById(id)!;

describe("user management", () => {
  it("never deletes the last active admin; deletes others and keeps what they created", async () => {
    const admin = await make("root@x.test", "admin");
    await expect(users.deleteUser(admin.id)).rejects.toThrow(/last active admin/);
    const other = await make("second@x.test", "admin");
    const db = getDb();
    const client = db
      .insert(schema.zohoClients)
      .values({ name: "c", realm: "sandbox", clientType: "server", clientId: "1000.X", secretEnc: "x", secretLast4: "abcd", secretUpdatedAt: new Date(), homeDc: "us", createdBy: other.id })
      .returning()
      .get();
    db.insert(schema.oauthAttempts)
      .values({ stateHash: "h", userId: other.id, clientRef: client.id, scopes: [], accessType: "offline", connectionName: "n", expiresAt: new Date() })
      .run();
    expect((await users.deleteUser(other.id)).email).toBe("second@x.test");
    expect(users.findUserById(other.id)).toBeUndefined();
    expect(db.select().from(schema.zohoClients).all()).toMatchObject([{ id: client.id, createdBy: null }]);
    // With the second admin gone, the first is the last again.
    expect(await users.isLastActiveAdmin(admin.id)).toBe(true);
    await expect(users.deleteUser(admin.id)).rejects.toThrow(/last active admin/);
  });

  it("disabling ends the user's sessions; enabling does not hand old sessions back", async () => {
    const u = await make("dis@x.test");
    const before = row(u.id).sessionVersion;
    users.setDisabled(u.id, true);
    expect(row(u.id).sessionVersion).toBe(before + 1);
    users.setDisabled(u.id, false);
    expect(row(u.id)).toMatchObject({ disabledAt: null, sessionVersion: before + 1 });
  });

  it("an admin's reset sets a typed or a random password, ends sessions and lifts the sign-in wait", async () => {
    const u = await make("reset@x.test");
    for (let i = 0; i < 3; i++) await reserveAttempt(throttleKeys(u.email, null));
    expect(await currentRefusal(throttleKeys(u.email, null))).not.toBeNull();
    const v = row(u.id).sessionVersion;
    const typed = await users.resetPassword(u.id, "typed-password-99");
    expect(typed).toMatchObject({ generated: false, password: "typed-password-99" });
    expect(await verifyPassword(row(u.id).passwordHash, "typed-password-99")).toBe(true);
    expect(row(u.id).sessionVersion).toBe(v + 1);
    expect(await currentRefusal(throttleKeys(u.email, null))).toBeNull();
    const random = await users.resetPassword(u.id, undefined);
    expect(random.generated).toBe(true);
    expect(random.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await verifyPassword(row(u.id).passwordHash, random.password)).toBe(true);
    expect(await verifyPassword(row(u.id).passwordHash, "typed-password-99")).toBe(false);
  });

  it("a user changes their own password only with the current one", async () => {
    const u = await make("self@x.test");
    await expect(users.changeOwnPassword(u.id, "not-the-password", "next-password-123")).rejects.toThrow(/current password is not right/);
    await expect(users.changeOwnPassword(u.id, PW, PW)).rejects.toThrow(/different/);
    const v = row(u.id).sessionVersion;
    await users.changeOwnPassword(u.id, PW, "next-password-123");
    expect(await verifyPassword(row(u.id).passwordHash, "next-password-123")).toBe(true);
    expect(row(u.id).sessionVersion).toBe(v + 1);
  });

  it("guesses at the current password are slowed down like sign-ins", async () => {
    const u = await make("guessed@x.test");
    // LOGIN_MAX_FAILURES is 2 here: the next attempt waits, even with the right password.
    for (let i = 0; i < 2; i++) await expect(users.changeOwnPassword(u.id, `guess-${i}-password`, "next-password-123", "198.51.100.4")).rejects.toThrow(/current password is not right/);
    await expect(users.changeOwnPassword(u.id, PW, "next-password-123", "198.51.100.4")).rejects.toThrow(/Too many wrong current passwords: wait \d+ s/);
    expect(await verifyPassword(row(u.id).passwordHash, PW)).toBe(true);
  });

  it("recovery makes the user an enabled admin with the new password and lifts every lock", async () => {
    const u = await make("lost@x.test", "viewer");
    users.setDisabled(u.id, true);
    for (let i = 0; i < 3; i++) await reserveAttempt(throttleKeys(u.email, null));
    for (let i = 0; i < 25; i++) await reserveAttempt(throttleKeys(`g${i}@x.test`, "203.0.113.9"));
    expect((await currentRefusal(["ip:203.0.113.9"]))?.kind).toBe("address_locked");
    const v = row(u.id).sessionVersion;
    const r = await users.recoverAdmin("LOST@x.test", "recovered-password-1");
    expect(r).toMatchObject({ madeAdmin: true, reEnabled: true, addressLocksCleared: 1, user: { role: "admin", disabled: false } });
    expect(row(u.id).sessionVersion).toBe(v + 1);
    expect(await verifyPassword(row(u.id).passwordHash, "recovered-password-1")).toBe(true);
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
