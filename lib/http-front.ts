import "server-only";
import diagnostics from "node:diagnostics_channel";
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import { log } from "@/lib/log";

/**
 * Requests Next.js cannot answer with anything but a 500 and a multi-line stack trace on stderr,
 * answered here instead, in front of its request listener, with a 4xx and one JSON log line:
 *
 * - TRACE: Next builds a WHATWG Request for proxy.ts and for every route handler, and undici
 *   refuses that method before any console code runs, so neither can answer it. (Node's parser
 *   itself answers TRACK with 400, and CONNECT never reaches a request listener.)
 * - A path whose percent-encoding does not decode (`/connections/%E0%A4%A`): Next decodes route
 *   segments with decodeURIComponent and fails, on /api/v1 too, where proxy.ts does not run.
 * - A server action posted with an Origin that is not this host: Next refuses it with a 500
 *   after logging the mismatch. The check here is Next's own (action-handler.js in next/dist),
 *   so it refuses nothing Next would run; were `serverActions.allowedOrigins` ever configured in
 *   next.config.ts, it would have to be honoured here too.
 */

export interface FrontRefusal {
  status: 400 | 403 | 405;
  code: "bad_request" | "forbidden" | "method_not_allowed";
  message: string;
  /** For the log line: a word from a fixed set. */
  reason: "method" | "encoding" | "origin";
}

const REFUSED_METHODS = new Set(["TRACE"]);
export const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

const one = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

// Next's getServerActionRequestMetadata, minus url-encoded posts, which it turns away before
// comparing origins. Route handlers (/api/…) never run actions.
function mayBeServerAction(method: string, path: string, headers: IncomingHttpHeaders): boolean {
  if (method !== "POST" || path.startsWith("/api/")) return false;
  const type = one(headers, "content-type");
  if (type === "application/x-www-form-urlencoded") return false;
  return one(headers, "next-action") !== undefined || !!type?.startsWith("multipart/form-data");
}

// Next's comparison: the Origin's host against the first X-Forwarded-Host, else Host. No Origin
// passes (a handcrafted request carries no one else's cookies); "null" and garbage do not.
function originMismatch(headers: IncomingHttpHeaders): boolean {
  const origin = one(headers, "origin");
  if (origin === undefined) return false;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return true;
  }
  const host = one(headers, "x-forwarded-host")?.split(",")[0]?.trim() || one(headers, "host");
  return originHost !== host;
}

/** What the front answers instead of Next, or null to let Next handle the request. */
export function frontRefusal(method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders): FrontRefusal | null {
  const m = (method ?? "").toUpperCase();
  if (REFUSED_METHODS.has(m)) {
    return { status: 405, code: "method_not_allowed", message: `${m} is not supported.`, reason: "method" };
  }
  const path = (url ?? "/").split(/[?#]/, 1)[0];
  if (!decodes(path)) {
    return { status: 400, code: "bad_request", message: "The URL's path has malformed percent-encoding.", reason: "encoding" };
  }
  if (mayBeServerAction(m, path, headers) && originMismatch(headers)) {
    return { status: 403, code: "forbidden", message: "This request comes from another site.", reason: "origin" };
  }
  return null;
}

function answer(res: ServerResponse, refusal: FrontRefusal) {
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
  res.writeHead(refusal.status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...(refusal.status === 405 ? { Allow: ALLOWED_METHODS } : {}),
  });
  res.end(body);
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Puts the front before `server`'s request listeners (once per server). */
function guard(server: Server) {
  const listeners = server.listeners("request") as Listener[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const refusal = frontRefusal(req.method, req.url, req.headers);
    if (!refusal) {
      for (const l of listeners) l.call(server, req, res);
      return;
    }
    // Never the path: a connect link's carries its token.
    const origin = refusal.reason === "origin" ? one(req.headers, "origin")?.slice(0, 100) : undefined;
    log("http")[refusal.reason === "origin" ? "warn" : "info"]({ event: "http.refused", method: req.method, status: refusal.status, reason: refusal.reason, origin }, "request refused");
    answer(res, refusal);
  });
}

const holder = globalThis as unknown as { __httpFront?: WeakSet<Server> };

/**
 * Once per process, from instrumentation. Node publishes http.server.request.start before it
 * emits the request, so the first request of a server already meets the front.
 */
export function installHttpFront() {
  if (holder.__httpFront) return;
  const guarded = (holder.__httpFront = new WeakSet());
  diagnostics.subscribe("http.server.request.start", (message) => {
    const { server } = message as { server?: Server };
    if (!server || guarded.has(server)) return;
    guarded.add(server);
    guard(server);
  });
}
