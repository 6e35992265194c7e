/**
 * Calling Zoho's product APIs for a service (the console's proxy): where a call goes, which
 * headers travel each way, and what a call needs besides the token. Pure apart from `sendUpstream`,
 * which talks HTTP like http.ts does.
 */
import type { DataCentre } from "./data-centres";
import { ZohoError, type ZohoErrorContext } from "./zoho-error";
import type { FetchLike } from "./http";

export const PROXY_SERVICES = ["desk", "assist", "salesiq", "zohoapis"] as const;
export type ProxyService = (typeof PROXY_SERVICES)[number];

export const isProxyService = (v: string): v is ProxyService => (PROXY_SERVICES as readonly string[]).includes(v);

/** The organisation binding as the console stores it (same shape as db's OrgBinding). */
interface BindingFacts {
  desk?: { orgId: string; name: string; portalName?: string };
  salesiq?: { screenName: string; name: string };
  assist?: { orgId: string; name: string; environment?: string; departmentId?: string; departmentName?: string };
}

const ASSIST_DEPARTMENT_HEADER = "x-com-zoho-assist-department-id";

/** The product host of the connection's data centre; `zohoapis` is the token's own api_domain. */
export function proxyBase(service: ProxyService, dc: DataCentre, apiDomain: string): string {
  return service === "zohoapis" ? apiDomain.replace(/\/+$/, "") : dc.products[service];
}

export class ProxyPathError extends Error {}

// Characters a path segment may carry as sent (RFC 3986 pchar, percent-encoding included).
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/;
const MAX_PATH = 2000;

/**
 * The upstream URL for `rawPath` (the part after `/proxy/{service}/`, still percent-encoded as
 * the caller sent it) under `base`. Nothing in the path can change the host: dot segments,
 * empty segments, encoded slashes or backslashes, and scheme-like first segments are refused,
 * and the result is checked to sit under `base` all the same.
 */
export function proxyTargetUrl(base: string, rawPath: string, search: string): URL {
  if (rawPath.length === 0) throw new ProxyPathError("Name the Zoho API path after the service, e.g. /proxy/desk/api/v1/tickets.");
  if (rawPath.length > MAX_PATH) throw new ProxyPathError("The path is too long.");
  const segments = rawPath.split("/");
  for (const [i, seg] of segments.entries()) {
    if (seg === "" && i === segments.length - 1 && i > 0) continue; // one trailing slash
    if (seg === "") throw new ProxyPathError("The path has an empty segment (//).");
    if (!SEGMENT.test(seg)) throw new ProxyPathError("The path has characters that are not allowed in a URL path.");
    const decoded = seg.replace(/%2e/gi, ".");
    if (decoded === "." || decoded === "..") throw new ProxyPathError("The path may not contain . or .. segments.");
    if (/%(2f|5c|00)/i.test(seg)) throw new ProxyPathError("The path may not contain encoded slashes, backslashes or NUL.");
    if (i === 0 && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(seg)) throw new ProxyPathError("The path may not be an absolute URL.");
  }
  if (search.length > 8000) throw new ProxyPathError("The query string is too long.");
  const baseUrl = new URL(base);
  const prefix = baseUrl.pathname.replace(/\/+$/, "");
  const target = new URL(`${baseUrl.origin}${prefix}/${rawPath}${search}`);
  if (target.origin !== baseUrl.origin || !target.pathname.startsWith(`${prefix}/`)) {
    throw new ProxyPathError("The path would leave the Zoho host.");
  }
  return target;
}

// Request headers a caller may send on to Zoho; everything else (its key, cookies, hop-by-hop and
// forwarding headers) stays here.
const FORWARDED_REQUEST_HEADERS = [
  "accept",
  "accept-language",
  "content-type",
  "if-match",
  "if-none-match",
  "if-modified-since",
  "if-unmodified-since",
  "x-http-method-override",
];

export function forwardRequestHeaders(incoming: Headers): Headers {
  const out = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const v = incoming.get(name);
    if (v !== null) out.set(name, v);
  }
  if (!out.has("accept")) out.set("accept", "application/json");
  return out;
}

/** The token and the bound organisation's headers; they replace whatever the caller sent. */
export function injectedHeaders(service: ProxyService, binding: BindingFacts, accessToken: string): Record<string, string> {
  const h: Record<string, string> = { authorization: `Zoho-oauthtoken ${accessToken}` };
  if (service === "desk" && binding.desk?.orgId) h.orgId = binding.desk.orgId;
  if (service === "assist" && binding.assist?.departmentId) h[ASSIST_DEPARTMENT_HEADER] = binding.assist.departmentId;
  return h;
}

/**
 * The caller's query string (`?…` or empty) with the connection's binding winning there too:
 * an `orgId` parameter would reach Desk beside the injected header, and a Desk API that reads it
 * from the query would take the caller's organisation. So for Desk every `orgId` parameter (any
 * case, however encoded) is replaced by the bound organisation's, or dropped when none is bound.
 * The other parameters go on exactly as sent.
 */
export function boundQuery(service: ProxyService, binding: BindingFacts, search: string): string {
  if (service !== "desk" || search.length <= 1) return search;
  const pairs = search.slice(1).split("&");
  // Percent-escapes decoded one by one: a malformed one elsewhere must not hide the name.
  const nameOf = (pair: string) => pair.split("=")[0].replace(/\+/g, " ").replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const kept = pairs.filter((pair) => nameOf(pair).trim().toLowerCase() !== "orgid");
  if (kept.length === pairs.length) return search;
  const orgId = binding.desk?.orgId;
  if (orgId) kept.push(`orgId=${encodeURIComponent(orgId)}`);
  const joined = kept.filter(Boolean).join("&");
  return joined ? `?${joined}` : "";
}

// Zoho's answer headers the caller gets: what describes the body, its validators, and Zoho's
// throttling. Everything else stays here (cookies, CORS grants, redirects' Location, hop-by-hop
// and proxy headers, HSTS, Alt-Svc, server details): the caller talks to the console, whose own
// Cache-Control applies.
const PASSED_RESPONSE_HEADERS = new Set(["content-type", "content-language", "content-disposition", "etag", "last-modified", "retry-after"]);
// Zoho's rate-limit headers (X-RATELIMIT-LIMIT, X-RATELIMIT-REMAINING, X-Rate-Limit-…).
const RATE_LIMIT_HEADER = /^x-rate-?limit-[a-z0-9-]+$/;

export function passBackHeaders(upstream: Headers): Headers {
  // Headers the Connection header names belong to that hop alone, whatever their name.
  const hopOnly = new Set((upstream.get("connection") ?? "").split(",").map((v) => v.trim().toLowerCase()));
  const out = new Headers();
  upstream.forEach((value, name) => {
    const n = name.toLowerCase();
    if ((PASSED_RESPONSE_HEADERS.has(n) || RATE_LIMIT_HEADER.test(n)) && !hopOnly.has(n)) out.append(name, value);
  });
  // fetch decodes a compressed body, so a length is only still true of an unencoded one.
  const encoding = upstream.get("content-encoding")?.trim().toLowerCase();
  const length = upstream.get("content-length");
  if ((!encoding || encoding === "identity") && length !== null && /^\d{1,15}$/.test(length.trim())) out.set("content-length", length.trim());
  return out;
}

interface ServiceCallInfo {
  desk?: { base_url: string; org_id: string; organisation: string; headers: Record<string, string> };
  salesiq?: { base_url: string; screen_name: string; portal: string };
  assist?: {
    base_url: string;
    org_id: string;
    organisation: string;
    environment: string | null;
    department_id: string | null;
    headers: Record<string, string>;
  };
}

/** Per bound service, what a direct call needs besides the token: base URL and headers. */
export function serviceCallInfo(dc: DataCentre, binding: BindingFacts): ServiceCallInfo {
  const out: ServiceCallInfo = {};
  if (binding.desk) {
    out.desk = { base_url: `${dc.products.desk}/api/v1`, org_id: binding.desk.orgId, organisation: binding.desk.name, headers: { orgId: binding.desk.orgId } };
  }
  if (binding.salesiq) {
    const screen = binding.salesiq.screenName;
    out.salesiq = { base_url: `${dc.products.salesiq}/api/v2/${encodeURIComponent(screen)}`, screen_name: screen, portal: binding.salesiq.name };
  }
  if (binding.assist) {
    const dept = binding.assist.departmentId ?? null;
    out.assist = {
      base_url: `${dc.products.assist}/api/v2`,
      org_id: binding.assist.orgId,
      organisation: binding.assist.name,
      environment: binding.assist.environment ?? null,
      department_id: dept,
      headers: dept ? { [ASSIST_DEPARTMENT_HEADER]: dept } : {},
    };
  }
  return out;
}

interface UpstreamRequest {
  url: URL;
  method: string;
  headers: Headers;
  body?: Uint8Array | ReadableStream<Uint8Array>;
  /** Until the answer's headers arrive; the body then streams without a deadline. */
  timeoutMs: number;
  signal?: AbortSignal;
  fetchImpl?: FetchLike;
  ctx: ZohoErrorContext;
}

/** One proxied call: redirects are not followed, a missing answer is a `ZohoError`. */
export async function sendUpstream(req: UpstreamRequest): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("timeout", "TimeoutError")), req.timeoutMs);
  const onAbort = () => controller.abort(req.signal?.reason);
  req.signal?.addEventListener("abort", onAbort, { once: true });
  const doFetch: FetchLike = req.fetchImpl ?? ((input, init) => fetch(input, init));
  const ctx = { ...req.ctx, host: req.url.host };
  try {
    const init: RequestInit & { duplex?: "half" } = {
      method: req.method,
      headers: req.headers,
      body: req.body as BodyInit | undefined,
      redirect: "manual",
      cache: "no-store",
      signal: controller.signal,
    };
    if (req.body instanceof ReadableStream) init.duplex = "half";
    return await doFetch(req.url.toString(), init);
  } catch (e) {
    if (req.signal?.aborted) throw e;
    if (controller.signal.aborted) throw new ZohoError("timeout", ctx, `(no answer within ${Math.round(req.timeoutMs / 100) / 10} s)`);
    const code = (e as { cause?: { code?: unknown } }).cause?.code;
    throw new ZohoError("network", ctx, typeof code === "string" && /^[A-Z_]{2,40}$/.test(code) ? `(${code})` : undefined);
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener("abort", onAbort);
  }
}
