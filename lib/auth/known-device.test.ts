import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ LOGIN_MAX_FAILURES: "3", LOGIN_MAX_DELAY_SECONDS: "8", LOGIN_ADDRESS_MAX_FAILURES: "50" });
const { issueDeviceCookie, knownDeviceId } = await import("./known-device");
const { clearAccountThrottle, currentRefusal, reserveAttempt, throttleKeys } = await import("./throttle");
afterAll(() => tmp.cleanup());

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

describe("known devices", () => {
  it("recognises only a cookie this console issued, for that account", () => {
    const cookie = issueDeviceCookie(7);
    const id = knownDeviceId(cookie, 7);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Each sign-in names the device afresh.
    expect(knownDeviceId(issueDeviceCookie(7), 7)).not.toBe(id);
    // Another account's cookie, a forged signature, a changed id or garbage are strangers.
    expect(knownDeviceId(cookie, 8)).toBeNull();
    expect(knownDeviceId(cookie, undefined)).toBeNull();
    const [uid, dev, sig] = cookie.split(".");
    expect(knownDeviceId(`8.${dev}.${sig}`, 8)).toBeNull();
    expect(knownDeviceId(`${uid}.${dev === "A".repeat(22) ? "B".repeat(22) : "A".repeat(22)}.${sig}`, 7)).toBeNull();
    // One character of the signature changed (to a different one, whatever the random value).
    const changed = sig.slice(0, -1) + (sig.endsWith("A") ? "B" : "A");
    expect(knownDeviceId(`${uid}.${dev}.${changed}`, 7)).toBeNull();
    expect(knownDeviceId(`${cookie}.x`, 7)).toBeNull();
    expect(knownDeviceId("", 7)).toBeNull();
    expect(knownDeviceId("7..", 7)).toBeNull();
  });

  it("strangers' failures slow the account for strangers only; the owner's known device signs in", async () => {
    const device = knownDeviceId(issueDeviceCookie(1), 1)!;
    const stranger = throttleKeys("owner@x.test", "198.51.100.7");
    for (let i = 0; i < 3; i++) expect((await reserveAttempt(stranger, T0)).ok).toBe(true);
    expect(await reserveAttempt(stranger, T0 + 10)).toMatchObject({ ok: false, refusal: { kind: "delayed" } });
    // Without the cookie the owner waits too; with it, not at all.
    expect(await currentRefusal(throttleKeys("owner@x.test", "203.0.113.5"), T0 + 10)).toMatchObject({ kind: "delayed" });
    const owner = throttleKeys("owner@x.test", "203.0.113.5", device);
    expect(await currentRefusal(owner, T0 + 10)).toBeNull();
    expect(await reserveAttempt(owner, T0 + 10)).toEqual({ ok: true });
  });

  it("a known device's own failures delay that device, with the same growing wait", async () => {
    const device = knownDeviceId(issueDeviceCookie(2), 2)!;
    const keys = throttleKeys("second@x.test", null, device);
    for (let i = 0; i < 3; i++) expect((await reserveAttempt(keys, T0)).ok).toBe(true);
    expect(await reserveAttempt(keys, T0 + 10)).toMatchObject({ ok: false, refusal: { kind: "delayed" } });
    // The account itself (and another known device) is not slowed by it.
    expect(await currentRefusal(throttleKeys("second@x.test", null), T0 + 10)).toBeNull();
    const other = knownDeviceId(issueDeviceCookie(2), 2)!;
    expect(await currentRefusal(throttleKeys("second@x.test", null, other), T0 + 10)).toBeNull();
    // An admin's unlock lifts the device's wait along with the account's.
    expect(await clearAccountThrottle("Second@x.test")).toBe(true);
    expect(await currentRefusal(keys, T0 + 10)).toBeNull();
  });
});
