// A signed-in admin for the dashboard pages: an Auth.js session cookie minted with the console's
// AUTH_SECRET, carrying what auth.config.ts puts in the token (uid, role, session version).
import { BENCH_AUTH_SECRET } from "./config";

export const SESSION_COOKIE = "authjs.session-token";

export async function sessionCookie(user: { id: number; email: string; name: string; sessionVersion: number }): Promise<string> {
  // next-auth is an ES module; a dynamic import loads it from this CommonJS-run script too.
  const { encode } = await import("next-auth/jwt");
  const jwt = await encode({
    token: { sub: String(user.id), uid: user.id, role: "admin", sv: user.sessionVersion, email: user.email, name: user.name },
    secret: BENCH_AUTH_SECRET,
    salt: SESSION_COOKIE,
    maxAge: 12 * 60 * 60,
  });
  return jwt;
}

/** Fails unless the cookie opens a signed-in page (not a redirect to /login). */
export async function assertSignedIn(baseUrl: string, jwt: string, email: string): Promise<void> {
  const res = await fetch(`${baseUrl}/settings/api-keys`, { headers: { cookie: `${SESSION_COOKIE}=${jwt}` }, redirect: "manual" });
  const html = await res.text();
  if (res.status !== 200 || !html.includes(email)) {
    throw new Error(`the minted session was refused: GET /settings/api-keys answered ${res.status} ${res.headers.get("location") ?? ""}`);
  }
}
