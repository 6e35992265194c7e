import "server-only";
import diagnostics from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { config } from "@/lib/config";
import { clientIp, PEER_HEADER } from "@/lib/request-ip";

/**
 * Route handlers in Next.js do not see the connection's socket, and X-Forwarded-For is whatever
 * the client sent unless a trusted proxy wrote it. So the console stamps every incoming request
 * with the socket's peer address under its own header, overwriting any value a client sent.
 */
export { PEER_HEADER };

const holder = globalThis as unknown as { __peerAddressHeader?: true };

/** Once per process, from instrumentation: every later request carries PEER_HEADER. */
export function installPeerAddressHeader() {
  if (holder.__peerAddressHeader) return;
  holder.__peerAddressHeader = true;
  diagnostics.subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_HEADER] = socket.remoteAddress ?? "";
  });
}

/** 127.0.0.0/8, ::1, and either as an IPv4-mapped IPv6 address. */
export function isLoopbackAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  const a = address.trim().toLowerCase();
  const v4 = a.startsWith("::ffff:") ? a.slice(7) : a;
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Whether the request comes from this host. Without trusted proxies the socket's peer decides;
 * behind TRUSTED_PROXY_HOPS proxies the peer is a proxy, so the address the outermost trusted
 * proxy saw decides instead (lib/request-ip.ts). No header a client sets on its own counts.
 */
export function isLoopbackRequest(headers: Headers, hops = config().TRUSTED_PROXY_HOPS): boolean {
  if (hops > 0) return isLoopbackAddress(clientIp(headers, hops));
  return isLoopbackAddress(headers.get(PEER_HEADER));
}
