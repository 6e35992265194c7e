import type { NextAuthConfig } from "next-auth";
import type { Role } from "@/db/schema";

// The part of the auth set-up that proxy.ts needs: no database, no password hashing.
// The OAuth callback checks the session itself: redirecting it to sign-in would copy Zoho's code
// into the login URL.
export const PUBLIC_PATHS = ["/login", "/setup", "/api/auth", "/api/health", "/api/v1", "/api/oauth/callback"];

export const isPublicPath = (pathname: string) =>
  PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));

export const authConfig = {
  trustHost: true,
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  providers: [],
  callbacks: {
    authorized({ auth, request }) {
      if (auth?.user || isPublicPath(request.nextUrl.pathname)) return true;
      const login = new URL("/login", request.nextUrl);
      const back = request.nextUrl.pathname + request.nextUrl.search;
      if (back !== "/") login.searchParams.set("callbackUrl", back);
      return Response.redirect(login);
    },
    jwt({ token, user }) {
      if (user) {
        token.uid = Number(user.id);
        token.role = (user as { role?: Role }).role;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user) {
        session.user.id = String(token.uid);
        (session.user as { role?: Role }).role = token.role as Role | undefined;
      }
      return session;
    },
  },
} satisfies NextAuthConfig;
