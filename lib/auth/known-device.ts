import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { authSecret } from "@/lib/secrets";

// A browser that has signed in to an account before carries a "known device" cookie for it. The
// account's growing wait (lib/auth/throttle.ts) exists against strangers guessing passwords; it
// must not let those strangers keep the owner out. So sign-ins from a known device are counted on
// the device, not on the account: strangers slow the account down for strangers only, and a
// stolen cookie still only buys guesses at the same growing delay, per device.
// The cookie proves nothing about who is at the browser: it never replaces the password.

export const DEVICE_COOKIE = "zoc_device";
/** Half a year: a device that has not signed in for longer is a stranger again. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 3600;

const ID = /^[A-Za-z0-9_-]{22}$/;

const mac = (body: string) => createHmac("sha256", authSecret()).update(`known-device.${body}`).digest("base64url");

/** A new cookie value naming this browser as a known device of `userId` (signed, not stored). */
export function issueDeviceCookie(userId: number): string {
  const body = `${userId}.${randomBytes(16).toString("base64url")}`;
  return `${body}.${mac(body)}`;
}

/** The device id when `value` is a cookie this console issued for `userId`; otherwise null. */
export function knownDeviceId(value: string | null | undefined, userId: number | undefined): string | null {
  if (!value || value.length > 120 || userId === undefined) return null;
  const [uid, id, given, ...rest] = value.split(".");
  if (rest.length > 0 || uid !== String(userId) || !id || !ID.test(id) || !given) return null;
  const expected = Buffer.from(mac(`${uid}.${id}`));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? id : null;
}

/** The known device the current request's browser is for this account, if it is one. */
export async function currentDeviceId(userId: number | undefined): Promise<string | null> {
  return knownDeviceId((await cookies()).get(DEVICE_COOKIE)?.value, userId);
}

/** Names the current browser a known device of this account (a fresh id at each sign-in). */
export async function rememberDevice(userId: number): Promise<void> {
  try {
    (await cookies()).set(DEVICE_COOKIE, issueDeviceCookie(userId), deviceCookieOptions());
  } catch (e) {
    // Where the request cannot set cookies the sign-in still succeeds; the device stays unknown.
    log("auth").warn({ err: e instanceof Error ? e.message : String(e) }, "could not remember the device");
  }
}

/** Attributes for setting the cookie: never readable by scripts, sent only to the console. */
function deviceCookieOptions() {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: config().CONSOLE_PUBLIC_URL.startsWith("https:"),
    path: "/",
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  };
}
