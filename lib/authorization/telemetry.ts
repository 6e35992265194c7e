import "server-only";
import { log, requestIdFrom, withRequestContext, type RequestContext } from "@/lib/log";
import { metrics } from "@/lib/metrics/registry";

/**
 * Runs the OAuth callback inside a request context, then counts it and logs one line: request
 * id, outcome (connected or the failure code), attempt, connection and duration. Never the code,
 * the state or any token: those stay in the URL the line does not carry.
 */
export async function observeCallback<T>(headers: Headers, handle: () => Promise<T>): Promise<{ result: T; requestId: string }> {
  const ctx: RequestContext = { requestId: requestIdFrom(headers), route: "oauth_callback" };
  const started = performance.now();
  const result = await withRequestContext(ctx, handle);
  const outcome = ctx.outcome ?? "connected";
  metrics().oauthCallbacks.inc({ outcome });
  const line = {
    event: "oauth.callback",
    requestId: ctx.requestId,
    outcome,
    attemptId: ctx.attemptId,
    connectionId: ctx.connectionId,
    durationMs: Math.round(performance.now() - started),
  };
  if (outcome === "connected") log("oauth").info(line, "OAuth callback");
  else log("oauth").warn(line, "OAuth callback failed");
  return { result, requestId: ctx.requestId };
}
