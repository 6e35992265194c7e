// Request parsing and response helpers shared by every route. Parsing never throws on hostile
// input: junk turns into empty or absent values, oversized bodies into a flag.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { MAX_BODY_BYTES } from "./config";
import { boundaryOf, parseMultipart } from "./multipart";

/** Past this the connection is cut instead of drained. */
const HARD_BODY_LIMIT = 16 * 1024 * 1024;

export interface Req {
  method: string;
  path: string;
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: IncomingMessage;
}

export function parseRequest(raw: IncomingMessage): Req {
  // Split by hand: new URL() would read "//host/x" as a different host.
  const url = raw.url ?? "/";
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  const segments = path
    .split("/")
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return {
    method: (raw.method ?? "GET").toUpperCase(),
    path,
    segments,
    query: new URLSearchParams(q === -1 ? "" : url.slice(q + 1)),
    headers: raw.headers,
    raw,
  };
}

export type Body = { ok: true; data: Buffer } | { ok: false; tooLarge: true };

const bodies = new WeakMap<IncomingMessage, Promise<Body>>();

/** Reads the body once (later calls share the result), keeping at most `limit` bytes. */
export function readBody(raw: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Body> {
  const cached = bodies.get(raw);
  if (cached) return cached;
  const promise = new Promise<Body>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(raw.headers["content-length"] ?? 0) > limit;
    raw.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (size > HARD_BODY_LIMIT) raw.destroy();
      if (!tooLarge) chunks.push(chunk);
    });
    raw.on("end", () => resolve(tooLarge ? { ok: false, tooLarge: true } : { ok: true, data: Buffer.concat(chunks) }));
    raw.on("error", () => resolve({ ok: false, tooLarge: true }));
    raw.on("close", () => resolve(tooLarge ? { ok: false, tooLarge: true } : { ok: true, data: Buffer.concat(chunks) }));
  });
  bodies.set(raw, promise);
  return promise;
}

/** Form fields from an urlencoded or multipart body; other content types carry none. */
export async function readFormBody(req: Req): Promise<URLSearchParams | "too_large"> {
  if (req.method === "GET" || req.method === "HEAD") return new URLSearchParams();
  const body = await readBody(req.raw);
  if (!body.ok) return "too_large";
  const type = String(req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const boundary = boundaryOf(String(req.headers["content-type"]));
    return boundary ? parseMultipart(body.data, boundary) : new URLSearchParams();
  }
  if (type === "" || type.startsWith("application/x-www-form-urlencoded")) {
    return new URLSearchParams(body.data.toString("utf8"));
  }
  return new URLSearchParams();
}

/** Query string first, body fields override: Zoho accepts parameters in either place. */
export async function readParams(req: Req): Promise<URLSearchParams | "too_large"> {
  const body = await readFormBody(req);
  if (body === "too_large") return body;
  const merged = new URLSearchParams();
  for (const source of [body, req.query]) {
    for (const [k, v] of source) {
      if (!merged.has(k)) merged.set(k, v);
    }
  }
  return merged;
}

export type JsonBody = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

export async function readJsonObject(req: Req): Promise<JsonBody> {
  const body = await readBody(req.raw);
  if (!body.ok) return { ok: false, error: "request body too large" };
  const text = body.data.toString("utf8").trim();
  if (text === "") return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> };
    }
    return { ok: false, error: "body must be a JSON object" };
  } catch {
    return { ok: false, error: "body is not valid JSON" };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json;charset=UTF-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "content-type": "text/html;charset=UTF-8",
    "content-length": Buffer.byteLength(html),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(302, { location, "content-length": 0, "cache-control": "no-store", ...headers });
  res.end();
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (header ?? "").split(";")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    if (!(key in out)) out[key] = pair.slice(eq + 1).trim();
  }
  return out;
}

function decodeLoose(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

/** Client credentials from `Authorization: Basic`, as OAuth libraries send them. */
export function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { id: decodeLoose(decoded.slice(0, colon)), secret: decodeLoose(decoded.slice(colon + 1)) };
}

/** Zoho's resource servers read `Authorization: Zoho-oauthtoken <token>` and nothing else. */
export function zohoOauthToken(header: string | undefined): string | null {
  const match = /^Zoho-oauthtoken\s+(\S+)\s*$/i.exec(header ?? "");
  return match ? match[1] : null;
}

export function headerValue(req: Req, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
