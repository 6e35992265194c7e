import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { isDatabaseUnavailable } from "@/db/errors";
import { prepared } from "@/db/prepared";
import { connections } from "@/db/schema";
import type { ApiKeyPermission } from "@/db/schema";
import { takeCall } from "@/lib/api-keys/rate-limit";
import { countCall } from "@/lib/api-keys/usage";
import { errorText, log, noteRequest, unwrapQueryError } from "@/lib/log";
import { clientIp } from "@/lib/request-ip";
import { TokenError } from "@/lib/tokens/errors";
import { ZohoError } from "@/lib/zoho";
import { authenticateKey, requireConnection, requirePermission, type KeyPrincipal } from "./auth";
import { ApiError, errorResponse, fromTokenError } from "./errors";
import { connectionIdParam } from "./schemas";
import { STRICT_TRANSPORT_SECURITY, wantsStrictTransport } from "@/lib/strict-transport";
import { observeApiCall, withHeader } from "./telemetry";

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
 * for /api/v1, so the HSTS header it gives other answers is set here.
 */
export function apiRoute<P>(run: (request: Request, key: KeyPrincipal, params: P) => Promise<Response>) {
  return async (request: Request, ctx: RouteContext<P>): Promise<Response> => {
    const res = await observeApiCall(request, async () => {
      try {
        const key = await authenticateKey(request.headers.get("authorization"), clientIp(request.headers));
        noteRequest({ keyPrefix: key.prefix });
        const rate = await takeCall(key.id, key.rateLimitPerMinute);
        if (!rate.allowed) {
          throw new ApiError(
            "throttled",
            `This API key is limited to ${key.rateLimitPerMinute} calls a minute. Try again in ${rate.retryAfterSec} s, or ask an admin to raise the key's limit.`,
            rate.retryAfterSec,
          );
        }
        return await run(request, key, await ctx.params);
      } catch (e) {
        return toErrorResponse(e);
      }
    });
    return wantsStrictTransport() ? withHeader(res, "Strict-Transport-Security", STRICT_TRANSPORT_SECURITY) : res;
  };
}

const connectionById = prepared("connection_exists", (db) => db.select({ id: connections.id }).from(connections).where(eq(connections.id, sql.placeholder("id"))));

const connectionExists = (id: number) => connectionById.first({ id });

/**
 * Checks the operation and the connection, counts the call, and returns the connection's row as
 * `load` reads it (by default only its id): a route that needs more of the row reads it here, in
 * the read that tells whether the connection exists.
 */
export async function connectionRowForCall<T>(key: KeyPrincipal, rawId: string, permission: ApiKeyPermission, load: (id: number) => Promise<T | undefined>): Promise<T> {
  const parsed = connectionIdParam.safeParse(rawId);
  if (!parsed.success) throw new ApiError("bad_request", "The connection id is a positive whole number.");
  const id = Number(parsed.data);
  noteRequest({ connectionId: id });
  await requirePermission(key, permission, id);
  await requireConnection(key, id);
  // Only calls about a connection that exists are counted: the key's page lists them by name.
  const row = await load(id);
  if (!row) throw new ApiError("not_found", "No such connection. The id is the number in the connection page's address.");
  countCall(key.id, id, key.ip);
  return row;
}

/** Checks the operation and the connection, counts the call, and returns the connection's id. */
export async function connectionIdForCall(key: KeyPrincipal, rawId: string, permission: ApiKeyPermission): Promise<number> {
  return (await connectionRowForCall(key, rawId, permission, connectionExists)).id;
}

/** Counts a call about no one connection (the list). */
export function countListCall(key: KeyPrincipal) {
  countCall(key.id, null, key.ip);
}
