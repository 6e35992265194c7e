import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { LinkEnded, TooManyRequests } from "@/components/connect-links/link-ended";
import { LinkLanding } from "@/components/connect-links/link-landing";
import { linkByToken, openLink } from "@/lib/connect-links/public";
import { limitAddress, limitLink } from "@/lib/connect-links/rate-limit";
import { clientIp } from "@/lib/request-ip";

export const metadata: Metadata = { title: "Authorize access to Zoho" };

/**
 * The link's landing page. Opening it is recorded but consumes nothing (mail scanners and chat
 * previews open links); only the Continue button's POST does. The token is in the path and
 * nowhere else: not in a log line, an audit row or a Referer.
 */
export default async function ConnectLinkPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ unavailable?: string }> }) {
  const { token } = await params;
  const { unavailable } = await searchParams;
  const ip = clientIp(await headers());
  const byAddress = await limitAddress(ip);
  if (!byAddress.allowed) return <TooManyRequests retryAfterSec={byAddress.retryAfterSec} />;
  const known = await linkByToken(token);
  if (known) {
    const byLink = await limitLink(known.id);
    if (!byLink.allowed) return <TooManyRequests retryAfterSec={byLink.retryAfterSec} />;
  }
  const result = await openLink(token, ip);
  if (result.status === "unknown") notFound();
  if (result.status !== "open") return <LinkEnded status={result.status} requestedBy={result.link.requestedBy} />;
  // Continue found the link's client or creator gone: nothing the owner can fix.
  if (unavailable) return <LinkEnded status="unavailable" requestedBy={result.link.requestedBy} />;
  return <LinkLanding link={result.link} continueUrl={`/connect/${token}/continue`} />;
}
