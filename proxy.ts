import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { isPublicPath } from "./auth.config";
import { authSecret } from "./lib/secrets";
import { STRICT_TRANSPORT_SECURITY, wantsStrictTransport } from "./lib/strict-transport";

function withHsts(res: NextResponse): NextResponse {
  if (wantsStrictTransport()) res.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return res;
}

/**
 * The page's Content-Security-Policy: scripts run only with this request's nonce (Next.js puts
 * it on its own scripts when it finds it in the request's CSP header) or when loaded by such a
 * script, so an injected <script> would not run even if escaping failed somewhere.
 */
function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and the charts set inline style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** Passes the request on with the nonce'd policy, so the rendered page carries the nonce. */
function next(request: NextRequest): NextResponse {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  return withHsts(res);
}

// Only redirects signed-out visitors to sign-in; every action and route checks roles itself.
// It reads the session cookie without re-issuing it: a proxy that refreshes the cookie on every
// request can resurrect a session that a concurrent sign-out has just deleted.
export default async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isPublicPath(pathname)) return next(request);
  const secret = authSecret();
  const session =
    (await getToken({ req: request, secret, secureCookie: false })) ??
    (await getToken({ req: request, secret, secureCookie: true }));
  if (session) return next(request);
  const login = new URL("/login", request.nextUrl);
  const back = pathname + search;
  if (back !== "/") login.searchParams.set("callbackUrl", back);
  return withHsts(NextResponse.redirect(login));
}

// The service API (/api/v1/) is left out: it answers machines with JSON, never a session or a
// page to put a nonce on, and its route frame (lib/service-api/handler.ts) sets HSTS itself.
// Skipping the proxy there saves every token call a request copy, a nonce and a header rewrite.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt|api/v1/).*)"],
};
