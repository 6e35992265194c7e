/**
 * The one place that talks HTTP to Zoho: timeouts, size limits, and turning transport failures
 * into `ZohoError`s. Request bodies and headers never reach an error, so secrets cannot either.
 */
import { ZohoError, type ZohoErrorContext } from "./zoho-error";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  timeoutMs: number;
  /** Injected in tests; defaults to the global fetch. */
  fetchImpl?: FetchLike;
  /** Caller's own cancellation (e.g. the request was aborted), combined with the timeout. */
  signal?: AbortSignal;
}

interface ZohoHttpRequest extends HttpOptions {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: URLSearchParams;
  ctx: ZohoErrorContext;
}

export interface ZohoHttpResponse {
  status: number;
  contentType: string;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
  latencyMs: number;
  /** Host that answered, for error messages. */
  host?: string;
}

/** Zoho answers are small; anything larger is not an answer we want to hold in memory. */
export const MAX_BODY_BYTES = 1_000_000;

class TooLarge extends Error {}

/** The body as text, read no further than `max` bytes: a larger answer is cancelled unread. */
async function readLimited(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel();
    throw new TooLarge();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}
const DEFAULT_TIMEOUT_MS = 10_000;

export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
}

function causeCode(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" && /^[A-Z_]{2,40}$/.test(cause.code) ? cause.code : undefined;
}

export async function zohoHttp(req: ZohoHttpRequest): Promise<ZohoHttpResponse> {
  const ctx: ZohoErrorContext = { ...req.ctx, host: req.ctx.host ?? hostOf(req.url) };
  const timeoutMs = req.timeoutMs > 0 ? req.timeoutMs : DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
  const doFetch: FetchLike = req.fetchImpl ?? ((input, init) => fetch(input, init));
  const headers: Record<string, string> = { Accept: "application/json", ...req.headers };
  if (req.body) headers["Content-Type"] = "application/x-www-form-urlencoded";

  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await doFetch(req.url, {
      method: req.method,
      headers,
      body: req.body?.toString(),
      signal,
      // A redirect from an accounts server would replay the secret elsewhere.
      redirect: "manual",
      cache: "no-store",
    });
    text = await readLimited(response, MAX_BODY_BYTES);
  } catch (e) {
    if (e instanceof TooLarge) throw new ZohoError("malformed", { ...ctx, status: response!.status }, "(answer too large)");
    if (timeout.aborted || (isAbort(e) && !req.signal?.aborted)) {
      throw new ZohoError("timeout", ctx, `(no answer within ${Math.round(timeoutMs / 100) / 10} s)`);
    }
    if (req.signal?.aborted) throw e;
    const code = causeCode(e);
    throw new ZohoError("network", ctx, code ? `(${code})` : undefined);
  }
  const latencyMs = Math.round(performance.now() - started);
  const contentType = response.headers.get("content-type") ?? "";
  const status = response.status;
  return { status, contentType, text, json: parseJson(text), latencyMs, host: ctx.host };
}

function parseJson(text: string): unknown {
  const t = text.trim();
  if (!t.startsWith("{") && !t.startsWith("[")) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Zoho ids come as strings or numbers; a number beyond 2^53 has already lost digits. */
export function idString(v: unknown): string | undefined {
  if (typeof v === "string" && v.trim() !== "" && v.length <= 64) return v.trim();
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  return undefined;
}

export function optString(v: unknown, max = 300): string | undefined {
  return typeof v === "string" && v.length > 0 ? v.slice(0, max) : undefined;
}
