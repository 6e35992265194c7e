import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ LOGIN_MAX_FAILURES: "3", LOGIN_MAX_DELAY_SECONDS: "8", LOGIN_ADDRESS_MAX_FAILURES: "12", LOGIN_LOCK_MINUTES: "10" });
const { accountDelayMs, accountThrottles, attemptSucceeded, clearAccountThrottle, clearAddressLocks, currentRefusal, reserveAttempt, throttleKeys } =
  await import("./throttle");
const { rawQuery } = await import("@/test/db-kit");
afterAll(() => tmp.cleanup());

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const S = 1000;

describe("sign-in throttle: the account", () => {
  it("grows the wait 1, 2, 4 … seconds after the free failures, and caps it", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(accountDelayMs)).toEqual([0, 0, 1 * S, 2 * S, 4 * S, 8 * S, 8 * S, 8 * S]);
  });

  it("counts attempts before the password check, so parallel guesses cannot exceed the free ones", async () => {
    const keys = throttleKeys("a@x.test", null);
    const granted = (await Promise.all(Array.from({ length: 10 }, () => reserveAttempt(keys, T0)))).filter((r) => r.ok).length;
    expect(granted).toBe(3);
    expect(await currentRefusal(keys, T0)).toEqual({ kind: "delayed", until: new Date(T0 + 1 * S) });
  });

  it("never locks an account for long: ten wrong passwords leave at most the capped wait", async () => {
    const keys = throttleKeys("admin@x.test", "198.51.100.9");
    let now = T0;
    for (let i = 0; i < 10; i++) {
      const r = await reserveAttempt(keys, now);
      expect(r.ok).toBe(true);
      const refusal = await currentRefusal(keys, now);
      // Each wait follows the one before, and none is longer than the cap of 8 s.
      now = refusal ? refusal.until.getTime() : now + 1;
      expect(now - T0).toBeLessThan(60 * S);
    }
    const last = await currentRefusal(keys, now - 1);
    expect(last?.kind).toBe("delayed");
    expect(last!.until.getTime() - (now - 8 * S)).toBe(8 * S);
    // From another address, the owner is refused only until that wait ends, then let in.
    const owner = throttleKeys("admin@x.test", "203.0.113.50");
    expect(await reserveAttempt(owner, now - 1)).toMatchObject({ ok: false, refusal: { kind: "delayed" } });
    expect(await reserveAttempt(owner, now)).toEqual({ ok: true });
    await attemptSucceeded(owner);
    expect(await currentRefusal(owner, now)).toBeNull();
    expect(await reserveAttempt(owner, now)).toEqual({ ok: true });
  });

  it("does not count refused attempts, so hammering during a wait does not lengthen it", async () => {
    const keys = throttleKeys("d@x.test", null);
    for (let i = 0; i < 3; i++) await reserveAttempt(keys, T0);
    for (let i = 0; i < 50; i++) expect((await reserveAttempt(keys, T0 + 500)).ok).toBe(false);
    expect((await currentRefusal(keys, T0 + 500))?.until).toEqual(new Date(T0 + 1 * S));
    expect((await reserveAttempt(keys, T0 + 1 * S)).ok).toBe(true);
    expect((await accountThrottles(["d@x.test"], T0 + 1 * S)).get("d@x.test")?.failures).toBe(4);
  });

  it("forgets the failures once the window has passed", async () => {
    const keys = throttleKeys("a@x.test", null);
    expect(await reserveAttempt(keys, T0 + 11 * 60_000)).toEqual({ ok: true });
    expect(await currentRefusal(keys, T0 + 11 * 60_000)).toBeNull();
  });

  it("an admin's unlock lifts the wait at once and shows nothing afterwards", async () => {
    const keys = throttleKeys("Locked@X.test", null);
    for (let i = 0; i < 6; i++) await reserveAttempt(keys, T0 + i * 10 * S);
    const state = await accountThrottles(["locked@x.test", "nobody@x.test"], T0 + 50 * S);
    expect(state.get("locked@x.test")).toEqual({ failures: 6, delayedUntil: new Date(T0 + 58 * S) });
    expect(state.has("nobody@x.test")).toBe(false);
    expect(await clearAccountThrottle("locked@x.test")).toBe(true);
    expect(await reserveAttempt(keys, T0 + 50 * S)).toEqual({ ok: true });
    expect((await accountThrottles(["locked@x.test"], T0 + 50 * S)).get("locked@x.test")?.delayedUntil).toBeNull();
  });
});

describe("sign-in throttle: the address", () => {
  it("locks an address (not the accounts) after its many failures, across accounts", async () => {
    const ip = "198.51.100.1";
    expect(throttleKeys("u0@x.test", ip)).toEqual(["email:u0@x.test", `ip:${ip}`]);
    for (let i = 0; i < 12; i++) expect((await reserveAttempt(throttleKeys(`u${i}@x.test`, ip), T0)).ok).toBe(true);
    // Each account had one failure: none is slowed down…
    for (let i = 0; i < 12; i++) expect(await currentRefusal([`email:u${i}@x.test`], T0)).toBeNull();
    // …but the address had its twelve, and is locked for the lock minutes.
    expect(await currentRefusal([`ip:${ip}`], T0)).toEqual({ kind: "address_locked", until: new Date(T0 + 10 * 60_000) });
    expect(await reserveAttempt(throttleKeys("fresh@x.test", ip), T0 + 60_000)).toMatchObject({ ok: false, refusal: { kind: "address_locked" } });
    // The same accounts from another address (or an unknown one) are let in.
    expect((await reserveAttempt(throttleKeys("u0@x.test", "198.51.100.2"), T0)).ok).toBe(true);
    expect((await reserveAttempt(throttleKeys("fresh@x.test", null), T0)).ok).toBe(true);
    // The lock ends by itself after the lock minutes.
    expect((await reserveAttempt(throttleKeys("fresh@x.test", ip), T0 + 10 * 60_000 + 1)).ok).toBe(true);
  });

  it("a success gives the address its attempt back but keeps counting its failures", async () => {
    const ip = "203.0.113.7";
    for (let i = 0; i < 11; i++) await reserveAttempt(throttleKeys(`s${i}@x.test`, ip), T0);
    await attemptSucceeded(throttleKeys("s10@x.test", ip));
    // 11 − 1 = 10 of 12: two more failures lock it.
    expect((await reserveAttempt(throttleKeys("t1@x.test", ip), T0)).ok).toBe(true);
    expect(await currentRefusal([`ip:${ip}`], T0)).toBeNull();
    expect((await reserveAttempt(throttleKeys("t2@x.test", ip), T0)).ok).toBe(true);
    expect((await currentRefusal([`ip:${ip}`], T0))?.kind).toBe("address_locked");
  });

  it("the recovery command's clearing lifts every running address lock", async () => {
    // 203.0.113.7 is locked; 198.51.100.1's lock ended and a new window began unlocked.
    expect(await clearAddressLocks(T0 + 1)).toBe(1);
    expect(await currentRefusal(["ip:198.51.100.1", "ip:203.0.113.7"], T0 + 1)).toBeNull();
  });

  it("an attempt refused by the address writes nothing: the account has nothing to show or unlock", async () => {
    const ip = "192.0.2.77";
    for (let i = 0; i < 12; i++) await reserveAttempt(throttleKeys(`v${i}@x.test`, ip), T0);
    const rows = async () => (await rawQuery<{ n: number }>("select count(*) as n from login_throttle"))[0].n;
    const before = Number(await rows());
    // Refused on the address: no row is made for the account (a locked address cannot grow the table).
    for (let i = 0; i < 5; i++) {
      expect(await reserveAttempt(throttleKeys(`bystander${i || ""}@x.test`, ip), T0 + 1)).toMatchObject({ ok: false, refusal: { kind: "address_locked" } });
    }
    expect(Number(await rows())).toBe(before);
    expect(await currentRefusal(throttleKeys("bystander@x.test", null), T0 + 1)).toBeNull();
    expect((await accountThrottles(["bystander@x.test", "v0@x.test"], T0 + 1)).has("bystander@x.test")).toBe(false);
    expect((await accountThrottles(["v0@x.test"], T0 + 1)).get("v0@x.test")).toEqual({ failures: 1, delayedUntil: null });
    expect(await clearAccountThrottle("bystander@x.test")).toBe(false);
    expect(await clearAccountThrottle("v0@x.test")).toBe(true);
    // Its first attempt from elsewhere counts as its first failure.
    expect(await reserveAttempt(throttleKeys("bystander@x.test", null), T0 + 2)).toEqual({ ok: true });
    expect((await accountThrottles(["bystander@x.test"], T0 + 2)).get("bystander@x.test")).toEqual({ failures: 1, delayedUntil: null });
  });
});
