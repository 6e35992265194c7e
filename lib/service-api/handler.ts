import "server-only";
import { z } from "zod";
import { isDatabaseUnavailable } from "@/db/errors";
import type { ApiKeyPermission } from "@/db/schema";
import { countCall } from "@/lib/api-keys/usage";
import { errorText, log, noteRequest, unwrapQueryError } from "@/lib/log";
import { clientIp } from "@/lib/request-ip";
import { TokenError } from "@/lib/tokens/errors";
import { ZohoError } from "@/lib/zoho";
import { admitKey, requireConnection, requirePermission, type Admitted, type KeyPrincipal } from "./auth";
import { ApiError, errorResponse, fromTokenError } from "./errors";
import { connectionIdParam } from "./schemas";
import { STRICT_TRANSPORT_SECURITY, wantsStrictTransport } from "@/lib/strict-transport";
import { observeApiCall, withHeader } from "./telemetry";
import type { TokenSource } from "./token";

type RouteContext<P> = { params: Promise<P> };

/** Any failure as the stable JSON error; nothing but safe messages leaves. */
function toErrorResponse(e: unknown): Response {
  if (e instanceof ApiError) return errorResponse(e);
  if (e instanceof TokenError) return errorResponse(fromTokenError(e));
  if (e instanceof z.ZodError) return errorResponse(new ApiError("bad_request", e.issues[0]?.message ?? "The request is not valid."));
  if (e instanceof ZohoError) {
    const down = e.kind === "timeout" || e.kind === "network" || e.kind === "server";
    return errorResponse(new ApiError("upstream_unavailable", [e.userMessage, e.advice].filter(Boolean).join(" "), down ? 30 : undefined, down ? 503 : 502));
  }
  if (isDatabaseUnavailable(e)) {
    log("api").warn({ error: errorText(e) }, "database unavailable");
    return errorResponse(new ApiError("database_unavailable", "The console's database does not answer right now. Try again in a few seconds.", 5));
  }
  // The cause's stack: drizzle's wrapper of a failed query carries its parameters (row data).
  log("api").error({ error: errorText(e), stack: e instanceof Error ? unwrapQueryError(e).error.stack : undefined }, "unexpected failure");
  return errorResponse(new ApiError("internal", "The console failed to answer. Try again; if it keeps failing, an admin should check the console's log."));
}

/**
 * The frame of every /api/v1 route: authenticate the key (never a browser session), apply its
 * rate limit, run, and answer failures as `{"error":{"code","message"}}`. proxy.ts does not run
 * for /api/v1, so the HSTS header it gives other answers is set here. `connectionId` names the
 * connection a route is about (its raw path segment), read in the same trip as the key.
 */
function frame<P>(connectionOf: ((params: P) => string) | undefined, run: (request: Request, admitted: Admitted, params: P) => Promise<Response>) {
  return async (request: Request, ctx: RouteContext<P>): Promise<Response> => {
    const res = await observeApiCall(request, async () => {
      try {
        const params = await ctx.params;
        const admitted = await admitKey(request.headers.get("authorization"), clientIp(request.headers), connectionOf ? connectionIdOf(connectionOf(params)) : null);
        const { key, rate } = admitted;
        noteRequest({ keyPrefix: key.prefix });
        if (!rate.allowed) {
          throw new ApiError(
            "throttled",
            `This API key is limited to ${key.rateLimitPerMinute} calls a minute. Try again in ${rate.retryAfterSec} s, or ask an admin to raise the key's limit.`,
            rate.retryAfterSec,
          );
        }
        return await run(request, admitted, params);
      } catch (e) {
        return toErrorResponse(e);
      }
    });
    return wantsStrictTransport() ? withHeader(res, "Strict-Transport-Security", STRICT_TRANSPORT_SECURITY) : res;
  };
}

function connectionIdOf(raw: string): number | null {
  const parsed = connectionIdParam.safeParse(raw);
  return parsed.success ? Number(parsed.data) : null;
}

/** A route about no one connection (the list): counts the call itself. */
export function apiRoute<P>(run: (request: Request, key: KeyPrincipal, params: P) => Promise<Response>) {
  return frame<P>(undefined, (request, { key }, params) => run(request, key, params));
}

/**
 * A route about the connection in its `id` segment: checks the operation and the connection,
 * counts the call, and hands `run` the connection's token row (lib/service-api/token.ts), read
 * with the key.
 */
export function apiConnectionRoute<P extends { id: string }>(
  permission: ApiKeyPermission,
  run: (request: Request, key: KeyPrincipal, source: TokenSource, params: P) => Promise<Response>,
) {
  return frame<P>(
    (params) => params.id,
    async (request, { key, chosen, source }, params) => {
      const id = connectionIdOf(params.id);
      if (id === null) throw new ApiError("bad_request", "The connection id is a positive whole number.");
      noteRequest({ connectionId: id });
      await requirePermission(key, permission, id);
      await requireConnection(key, id, chosen);
      // Only calls about a connection that exists are counted: the key's page lists them by name.
      if (!source) throw new ApiError("not_found", "No such connection. The id is the number in the connection page's address.");
      countCall(key.id, id, key.ip);
      return run(request, key, source, params);
    },
  );
}

/** Counts a call about no one connection (the list). */
export function countListCall(key: KeyPrincipal) {
  countCall(key.id, null, key.ip);
}
