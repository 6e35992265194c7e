import NextAuth from "next-auth";
import { authConfig } from "./auth.config";
import { authSecret } from "./lib/secrets";

// Only redirects signed-out visitors to sign-in; every action and route checks roles itself.
export default NextAuth(() => ({ ...authConfig, secret: authSecret() })).auth;

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
