import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Database drivers and native modules stay outside the server bundle; prom-client too, so every
  // bundle shares one copy.
  serverExternalPackages: ["better-sqlite3", "pg", "@node-rs/argon2", "prom-client"],
  // A separate build folder lets parallel e2e runs on one machine keep their own builds.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // `npm run typecheck` checks the whole project (app, sandbox, tests) once; checking again
  // inside every build only costs time on small CI machines.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // forbidden() answers HTTP 403 with app/(dashboard)/forbidden.tsx for pages a role may not open.
  experimental: { authInterrupts: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
          // Scripts stay as Next.js emits them; these directives close framing, plugin and
          // <base> injection without breaking hydration.
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'self'; object-src 'none'" },
        ],
      },
      {
        // The callback URL carries Zoho's code: no page after it may learn it from Referer.
        source: "/api/oauth/callback",
        headers: [{ key: "Referrer-Policy", value: "no-referrer" }],
      },
      {
        // Connect links (app/(public)): the path holds the link's token, so no request may carry
        // it on as a Referer and no search engine may keep it. Framing is refused site-wide above
        // and by proxy.ts's policy (frame-ancestors 'none').
        source: "/connect/:path*",
        headers: [
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Robots-Tag", value: "noindex, nofollow" },
          { key: "Cache-Control", value: "no-store" },
        ],
      },
    ];
  },
};

export default nextConfig;
