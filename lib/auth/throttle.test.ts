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
  });

  it("locks an address after four times the account limit, across accounts", () => {
    let granted = 0;
    for (let i = 0; i < 20; i++) if (reserveAttempt(throttleKeys(`u${i}@x.test`, "198.51.100.1"))) granted++;
    expect(granted).toBe(12);
  });
});
