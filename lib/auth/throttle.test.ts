import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ LOGIN_MAX_FAILURES: "3", LOGIN_LOCK_MINUTES: "10" });
const { attemptSucceeded, lockedUntil, reserveAttempt, throttleKeys } = await import("./throttle");
afterAll(() => tmp.cleanup());

describe("sign-in throttle", () => {
  it("counts attempts before the password check, so parallel guesses cannot exceed the limit", () => {
    const keys = throttleKeys("a@x.test", null);
    const granted = Array.from({ length: 10 }, () => reserveAttempt(keys)).filter(Boolean).length;
    expect(granted).toBe(3);
    expect(lockedUntil(keys)).not.toBeNull();
  });

  it("lifts the lock when the window has passed", () => {
    const keys = throttleKeys("a@x.test", null);
    expect(reserveAttempt(keys, Date.now() + 11 * 60_000)).toBe(true);
  });

  it("forgets an account's attempts on success but keeps the address counting its failures", () => {
    const keys = throttleKeys("b@x.test", "203.0.113.7");
    expect(reserveAttempt(keys)).toBe(true);
    expect(reserveAttempt(keys)).toBe(true);
    attemptSucceeded(keys);
    // Account counter reset: three more attempts for the account before it locks.
    expect(reserveAttempt(keys)).toBe(true);
    expect(reserveAttempt(keys)).toBe(true);
    expect(reserveAttempt(keys)).toBe(true);
    expect(reserveAttempt(keys)).toBe(false);
    // The address counted 2 − 1 + 3 = 4 of its 12 (the refused attempt is not counted): eight
    // more accounts from it are let in, the next is refused.
    for (let i = 0; i < 8; i++) expect(reserveAttempt(throttleKeys(`c${i}@x.test`, "203.0.113.7"))).toBe(true);
    expect(reserveAttempt(throttleKeys("c8@x.test", "203.0.113.7"))).toBe(false);
  });

  it("locks the address key (ip:<address>) after four times the account limit, across accounts", () => {
    const ip = "198.51.100.1";
    expect(throttleKeys("u0@x.test", ip)).toEqual(["email:u0@x.test", `ip:${ip}`]);
    // Twelve accounts with one failure each: none is near its own limit of three…
    for (let i = 0; i < 12; i++) expect(reserveAttempt(throttleKeys(`u${i}@x.test`, ip))).toBe(true);
    for (let i = 0; i < 12; i++) expect(lockedUntil([`email:u${i}@x.test`])).toBeNull();
    // …but the address has had its twelve, so its key is what locks.
    expect(lockedUntil([`ip:${ip}`])).not.toBeNull();
    // A different account from the same address is refused, though its own key is clean.
    expect(reserveAttempt(throttleKeys("fresh@x.test", ip))).toBe(false);
    expect(lockedUntil([`email:fresh@x.test`])).toBeNull();
    // The same accounts from another address (or none) are not refused by that address's key.
    expect(reserveAttempt(throttleKeys("u0@x.test", "198.51.100.2"))).toBe(true);
    expect(reserveAttempt(throttleKeys("fresh@x.test", "198.51.100.2"))).toBe(true);
    expect(reserveAttempt(throttleKeys("u1@x.test", null))).toBe(true);
  });
});
