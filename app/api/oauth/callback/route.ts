import type { NextRequest } from "next/server";
import { currentUser } from "@/lib/auth/session";
import { handleCallback } from "@/lib/authorization/callback";
import { LINK_COOKIE_PREFIX } from "@/lib/connect-links/consent";
import { observeCallback } from "@/lib/authorization/telemetry";
import { clientIp } from "@/lib/request-ip";

export const dynamic = "force-dynamic";

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

// Zoho's redirect back with `code`, `state`, `location` and `accounts-server`. The work happens
// in lib/authorization; this answers with a tiny page that moves on to a URL without the code. A page
// rather than a 302, because its <meta name="referrer"> keeps the browser from sending this URL
// (code included) as the Referer of the next request, whatever site-wide header applies.
export async function GET(request: NextRequest) {
  const { result, requestId } = await observeCallback(request.headers, async () =>
    handleCallback({
      params: request.nextUrl.searchParams,
      user: await currentUser(),
      ip: clientIp(request.headers),
      // Only connect links' nonce cookies: lib decides what they prove.
      cookies: Object.fromEntries(request.cookies.getAll().filter((c) => c.name.startsWith(LINK_COOKIE_PREFIX)).map((c) => [c.name, c.value])),
    }),
  );
  const { location } = result;
  const next = escapeAttr(location);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${next}"><title>Zoho authorization</title></head><body><p>Continuing to the <a href="${next}" rel="noreferrer">authorization result</a>…</p></body></html>`;
  return new Response(html, {
    status: 200,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
      "X-Request-Id": requestId,
    },
  });
}
