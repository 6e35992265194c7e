import { config } from "@/lib/config";

/**
 * The header under which the console stamps each request's socket peer address
 * (lib/peer-address.ts), overwriting any value a client sent.
 */
export const PEER_HEADER = "x-zoho-console-peer";

const plausibleIp = (ip: string | null | undefined) =>
  ip && ip.length <= 64 && /^[0-9A-Fa-f:.]+$/.test(ip) ? ip : null;

/**
 * The client's address, or null when it cannot be known. Without trusted proxies it is the
 * socket's peer. X-Forwarded-For is only believed as far as TRUSTED_PROXY_HOPS says: a client
 * can send any value in it, and proxies append to the right, so the address the outermost
 * trusted proxy saw is `hops` entries from the end. Without X-Forwarded-For no trusted proxy
 * said anything, and nothing else is believed: X-Real-IP is a header any client can send.
 */
export function clientIp(headers: Headers, hops = config().TRUSTED_PROXY_HOPS): string | null {
  if (hops <= 0) return plausibleIp(headers.get(PEER_HEADER)?.trim());
  const parts = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.length ? plausibleIp(parts[Math.max(0, parts.length - hops)]) : null;
}
