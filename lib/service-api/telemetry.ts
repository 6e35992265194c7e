import "server-only";
import { log, requestIdFrom, withRequestContext, type RequestContext } from "@/lib/log";
import { metrics } from "@/lib/metrics/registry";

/** The service API's route families: the metrics' `route` label, a fixed set. */
export function apiRouteFamily(pathname: string): string {
  const p = pathname.replace(/\/+$/, "");
  if (p === "/api/v1/connections") return "list";
  if (/^\/api\/v1\/connections\/[^/]+$/.test(p)) return "connection";
  if (/^\/api\/v1\/connections\/[^/]+\/token$/.test(p)) return "token";
  if (/^\/api\/v1\/connections\/[^/]+\/proxy(\/|$)/.test(p)) return "proxy";
  return "other";
}

/** The same response with one more header, also when its headers are immutable (a fetch answer). */
export function withHeader(res: Response, name: string, value: string): Response {
  try {
    res.headers.set(name, value);
    return res;
  } catch {
    const headers = new Headers(res.headers);
    headers.set(name, value);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  }
}

/**
 * Runs one service-API call inside a request context, then counts it, times it and logs one
 * line: request id (echoed as X-Request-Id), route, status, outcome, duration, key prefix and
 * connection id. For the proxy the duration ends when Zoho's answer starts to stream back.
 */
export async function observeApiCall(request: Request, handle: () => Promise<Response>): Promise<Response> {
  const ctx: RequestContext = { requestId: requestIdFrom(request.headers), route: apiRouteFamily(new URL(request.url).pathname) };
  const started = performance.now();
  const res = await withRequestContext(ctx, handle);
  const seconds = (performance.now() - started) / 1000;
  const route = ctx.route!;
  const outcome = res.status < 400 ? "ok" : (ctx.outcome ?? "upstream_error");
  const m = metrics();
  m.apiRequests.inc({ route, outcome });
  m.apiDuration.observe({ route }, seconds);
  const line = {
    event: "api.request",
    requestId: ctx.requestId,
    method: request.method,
    route,
    status: res.status,
    outcome,
    durationMs: Math.round(seconds * 1000),
    connectionId: ctx.connectionId,
    keyPrefix: ctx.keyPrefix,
  };
  if (res.status >= 500) log("api").warn(line, "service API call failed");
  else log("api").info(line, "service API call");
  return withHeader(res, "X-Request-Id", ctx.requestId);
}
