import type { NextRequest } from "next/server";
import { startLinkConsent, linkNonceCookie } from "@/lib/connect-links/consent";
import { linkByToken } from "@/lib/connect-links/public";
import { limitAddress, limitLink } from "@/lib/connect-links/rate-limit";
import { clientIp } from "@/lib/request-ip";
import { wantsStrictTransport } from "@/lib/strict-transport";

export const dynamic = "force-dynamic";

/**
 * Long enough for consent and the organisation step's hour after it (ORGANISATION_WINDOW_MS); the
 * attempt itself lives 10 minutes.
 */
const NONCE_MAX_AGE_SEC = 2 * 60 * 60;

// No Referer from here: the path holds the link's token, and the next stop is Zoho.
const BASE_HEADERS = { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow" };

const seeOther = (location: string, extra: Record<string, string> = {}) => new Response(null, { status: 303, headers: { ...BASE_HEADERS, Location: location, ...extra } });

const tooMany = (retryAfterSec: number) =>
  new Response(`Too many requests. Wait ${retryAfterSec} seconds and try again.`, {
    status: 429,
    headers: { ...BASE_HEADERS, "Content-Type": "text/plain; charset=utf-8", "Retry-After": String(retryAfterSec) },
  });

/**
 * "Continue to Zoho": the only request that uses a link up (a POST, so no scanner does it). Sends
 * the browser to Zoho's consent page with a cookie that ties the attempt to this browser; an
 * ended or unknown link goes back to its page, which says why.
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const ip = clientIp(request.headers);
  const landing = `/connect/${encodeURIComponent(token)}`;
  const byAddress = await limitAddress(ip);
  if (!byAddress.allowed) return tooMany(byAddress.retryAfterSec);
  const known = await linkByToken(token);
  if (known) {
    const byLink = await limitLink(known.id);
    if (!byLink.allowed) return tooMany(byLink.retryAfterSec);
  }
  const started = await startLinkConsent(token, ip);
  if (started.status === "unavailable") return seeOther(`${landing}?unavailable=1`);
  if (started.status !== "redirect") return seeOther(landing);
  const cookie = [
    `${linkNonceCookie(started.linkId)}=${started.nonce}`,
    "Path=/",
    `Max-Age=${NONCE_MAX_AGE_SEC}`,
    "HttpOnly",
    // Lax: Zoho's redirect back is a top-level GET from another site, which Lax lets through.
    "SameSite=Lax",
    ...(wantsStrictTransport() ? ["Secure"] : []),
  ].join("; ");
  return seeOther(started.url, { "Set-Cookie": cookie });
}
