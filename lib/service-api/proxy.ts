import "server-only";
import { config } from "@/lib/config";
import { NO_STORE } from "@/lib/no-store";
import { getValidToken } from "@/lib/tokens/engine";
import { tokenRejected, type RejectionOutcome } from "@/lib/tokens/rejection";
import {
  boundQuery,
  forwardRequestHeaders,
  injectedHeaders,
  isProxyService,
  namesInvalidToken,
  passBackHeaders,
  proxyBase,
  proxyErrorAdvice,
  ProxyPathError,
  proxyTargetUrl,
  sendUpstream,
  zohoAnswerCode,
  type ProxyService,
} from "@/lib/zoho";
import type { KeyPrincipal } from "./auth";
import { ApiError } from "./errors";
import { callTargetOf, type TokenSource } from "./token";

/** Request bodies up to this size are held, so the call can be repeated after a refresh. */
const REPLAY_LIMIT = 1024 * 1024;
/** Error answers are small; this much of an answer is read to tell a dead token from the rest. */
const PEEK_LIMIT = 16 * 1024;
/** A proxied call never hands out a token with less than this left. */
const PROXY_MIN_VALIDITY_MS = 60_000;

type Body = { bytes: Uint8Array } | { stream: ReadableStream<Uint8Array>; overflow: () => boolean } | undefined;

const tooLarge = (max: number) =>
  new ApiError("payload_too_large", `The request body is larger than the proxy allows (${max} bytes). Send large uploads to Zoho directly with a token from /token.`);

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Holds small bodies whole; larger ones stream on (counted against the limit) and cannot be replayed. */
async function readBody(request: Request, max: number): Promise<Body> {
  if (request.method === "GET" || request.method === "HEAD" || !request.body) return undefined;
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  const reader = request.body.getReader();
  const head: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: concat(head, total) };
    head.push(value);
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge(max);
    }
    if (total > REPLAY_LIMIT) break;
  }
  let overflowed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of head) controller.enqueue(c);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      total += value.byteLength;
      if (total > max) {
        overflowed = true;
        await reader.cancel();
        return controller.error(new Error("request body too large"));
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { stream, overflow: () => overflowed };
}

interface Peeked {
  chunks: Uint8Array[];
  /** The whole answer was read (it was small). */
  whole: boolean;
  reader?: ReadableStreamDefaultReader<Uint8Array>;
}

/** Reads the start of an answer that may be an error the console recognises (4xx, and SalesIQ's HTTP 200s). */
async function peek(res: Response, service: ProxyService): Promise<Peeked | undefined> {
  if (!res.body) return undefined;
  const suspicious = (res.status >= 400 && res.status < 500) || (service === "salesiq" && res.status === 200);
  if (!suspicious) return undefined;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total <= PEEK_LIMIT) {
    const { done, value } = await reader.read();
    if (done) return { chunks, whole: true };
    chunks.push(value);
    total += value.byteLength;
  }
  return { chunks, whole: false, reader };
}

/** The peeked answer as JSON; undefined when it was not read whole or is not JSON. */
function peekedJson(peeked: Peeked | undefined): unknown {
  if (!peeked?.whole) return undefined;
  const text = new TextDecoder().decode(concat(peeked.chunks, peeked.chunks.reduce((n, c) => n + c.byteLength, 0)));
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Zoho named the token invalid with a documented code: a bare 401 or an unreadable answer is not enough. */
function rejectsToken(peeked: Peeked | undefined): boolean {
  return !!peeked?.whole && namesInvalidToken(peekedJson(peeked));
}

/** What the caller is told when a refused token was not replaced. */
function notReplacedAdvice(outcome: RejectionOutcome): string | undefined {
  if (outcome.kind === "refused_again") {
    const ago = Math.max(1, Math.round((Date.now() - outcome.mintedAt) / 1000));
    return `Zoho refused a token minted ${ago} s ago to replace a refused one, so the token is not the problem: check that the connection's scopes allow this call and that its organisation binding is right.`;
  }
  if (outcome.kind === "limited") {
    return `This key's calls already replaced this connection's token twice in ten minutes; it is not replaced again for ${outcome.retryAfterSec} s, so one caller cannot use up Zoho's refresh budget that every caller shares.`;
  }
  return undefined;
}

/** The answer's body as it came, never more than `max` bytes (beyond that the stream fails). */
function limitedBody(res: Response, peeked: Peeked | undefined, max: number): ReadableStream<Uint8Array> | null {
  // An unencoded answer that declares a length within the limit cannot exceed it (HTTP/1.1 reads
  // no more of a body than its Content-Length): it passes on as it came, without a counting stream.
  const encoding = res.headers.get("content-encoding")?.trim().toLowerCase();
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (!peeked && res.body && (!encoding || encoding === "identity") && Number.isInteger(declared) && declared <= max) return res.body;
  const source = peeked ? peeked.reader : res.body?.getReader();
  if (!peeked && !source) return null;
  let sent = 0;
  const queued = [...(peeked?.chunks ?? [])];
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = queued.shift() ?? (source ? await source.read() : { done: true as const, value: undefined });
      const chunk = next instanceof Uint8Array ? next : next.done ? undefined : next.value;
      if (!chunk) return controller.close();
      sent += chunk.byteLength;
      if (sent > max) {
        await source?.cancel();
        return controller.error(new Error("Zoho's answer is larger than the proxy allows"));
      }
      controller.enqueue(chunk);
    },
    cancel: (reason) => source?.cancel(reason),
  });
}

/**
 * `source` is the connection's row as read for this call (as for /token): its call facts and
 * its token state serve the whole call, so the row is read once.
 */
export async function proxyCall(request: Request, key: KeyPrincipal, source: TokenSource, service: string, rawPath: string): Promise<Response> {
  if (!isProxyService(service)) throw new ApiError("bad_request", "The service is one of desk, assist, salesiq or zohoapis.");
  const id = source.id;
  const { dc, apiDomain, binding } = callTargetOf(source);
  const incoming = new URL(request.url);
  let url: URL;
  try {
    url = proxyTargetUrl(proxyBase(service, dc, apiDomain), rawPath, boundQuery(service, binding, incoming.search));
  } catch (e) {
    if (e instanceof ProxyPathError) throw new ApiError("bad_request", e.message);
    throw e;
  }
  const { CONSOLE_PROXY_MAX_REQUEST_BYTES: maxIn, CONSOLE_PROXY_MAX_RESPONSE_BYTES: maxOut, ZOHO_HTTP_TIMEOUT_MS: timeoutMs } = config();
  const body = await readBody(request, maxIn);
  const base = forwardRequestHeaders(request.headers);

  const call = async (accessToken: string) => {
    const headers = new Headers(base);
    for (const [k, v] of Object.entries(injectedHeaders(service, binding, accessToken))) headers.set(k, v);
    try {
      return await sendUpstream({
        url,
        method: request.method,
        headers,
        body: body && ("bytes" in body ? body.bytes : body.stream),
        timeoutMs,
        signal: request.signal,
        ctx: { operation: "proxy", location: dc.location },
      });
    } catch (e) {
      if (body && "overflow" in body && body.overflow()) throw tooLarge(maxIn);
      throw e;
    }
  };

  const token = await getValidToken(id, { actor: key.actor, minValidityMs: PROXY_MIN_VALIDITY_MS }, source);
  let res = await call(token.accessToken);
  let peeked = await peek(res, service);
  let retried = false;
  let notReplaced: string | undefined;
  // Zoho refused a token that has not expired (invalidated there): retire it, and with a new
  // one try once more (a streamed body cannot be sent twice).
  if (rejectsToken(peeked)) {
    const outcome = await tokenRejected(id, token.accessToken, {
      source: "proxy",
      actor: key.actor,
      keyId: key.id,
      zohoCode: zohoAnswerCode(peekedJson(peeked)),
      ip: key.ip,
    });
    if (outcome.kind === "refresh_failed") {
      await peeked?.reader?.cancel();
      throw outcome.error;
    }
    notReplaced = notReplacedAdvice(outcome);
    if ((outcome.kind === "refreshed" || outcome.kind === "already_replaced") && !(body && "stream" in body)) {
      res = await call(outcome.token.accessToken);
      peeked = await peek(res, service);
      retried = true;
    }
  }
  const headers = passBackHeaders(res.headers);
  for (const [k, v] of Object.entries(NO_STORE)) headers.set(k, v);
  if (retried) headers.set("X-Console-Token-Refreshed", "true");
  // A recognised error (missing scope, wrong organisation, dead token) carries what to do next.
  const advice = peeked?.whole
    ? proxyErrorAdvice({ service, method: request.method, path: rawPath, status: res.status, json: peekedJson(peeked), refreshed: retried })
    : undefined;
  if (notReplaced ?? advice) headers.set("X-Console-Advice", (notReplaced ?? advice)!);
  const bodyless = request.method === "HEAD" || [101, 204, 205, 304].includes(res.status);
  if (bodyless) await (peeked?.reader ?? res.body)?.cancel();
  const streamed = bodyless ? null : limitedBody(res, peeked, maxOut);
  return new Response(streamed, { status: res.status, statusText: res.statusText, headers });
}
