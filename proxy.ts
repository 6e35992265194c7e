import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { isPublicPath } from "./auth.config";
import { config as consoleConfig } from "./lib/config";
import { authSecret } from "./lib/secrets";

// Served over https, browsers are told to stay on https (the public URL decides, since TLS
// usually ends at a proxy in front of the console).
function withHsts(res: NextResponse): NextResponse {
  if (consoleConfig().CONSOLE_PUBLIC_URL.startsWith("https://")) {
    res.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
  return res;
}

// Only redirects signed-out visitors to sign-in; every action and route checks roles itself.
// It reads the session cookie without re-issuing it: a proxy that refreshes the cookie on every
// request can resurrect a session that a concurrent sign-out has just deleted.
export default async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isPublicPath(pathname)) return withHsts(NextResponse.next());
  const secret = authSecret();
  const session =
    (await getToken({ req: request, secret, secureCookie: false })) ??
    (await getToken({ req: request, secret, secureCookie: true }));
  if (session) return withHsts(NextResponse.next());
  const login = new URL("/login", request.nextUrl);
  const back = pathname + search;
  if (back !== "/") login.searchParams.set("callbackUrl", back);
  return withHsts(NextResponse.redirect(login));
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
