import type { NextAuthConfig } from "next-auth";
import type { Role } from "@/lib/rbac";

// Session settings and the paths proxy.ts lets through without a session.
// The OAuth callback checks the session itself: redirecting it to sign-in would copy Zoho's code
// into the login URL. Connect links (/connect/<token>) serve people with no console account.
export const PUBLIC_PATHS = ["/login", "/setup", "/api/auth", "/api/health", "/api/metrics", "/api/v1", "/api/oauth/callback", "/connect"];

export const isPublicPath = (pathname: string) =>
  PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));

export const authConfig = {
  trustHost: true,
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = Number(user.id);
        token.role = (user as { role?: Role }).role;
        token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user) {
        session.user.id = String(token.uid);
        (session.user as { role?: Role }).role = token.role as Role | undefined;
        (session.user as { sessionVersion?: number }).sessionVersion = Number(token.sv ?? 0);
      }
      return session;
    },
  },
} satisfies NextAuthConfig;
