import "server-only";
import dns, { type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { AddressRefusedError, bareHost, guardedLookup, refusal } from "@/lib/alerts/address-class";
import { RETRY_WINDOW_MS } from "@/lib/alerts/retry";

/**
 * One alert delivery over HTTP. Destination URLs are typed in by admins, so every send is a
 * server-side request to an address someone else chose: it must not reach the console's own
 * network (metadata service, database, admin ports) unless CONSOLE_ALERTS_ALLOWED_HOSTS says so.
 */
export type DeliveryOutcome =
  | { kind: "delivered"; status: number; latencyMs: number; responseHead: string }
  | { kind: "retry"; status?: number; latencyMs: number; error: string; retryAfterMs?: number; responseHead?: string }
  | { kind: "final"; status?: number; latencyMs: number; error: string; responseHead?: string };

const HTTP_REASON =
  "Destination URLs must use https; plain http is allowed only for hosts named in CONSOLE_ALERTS_ALLOWED_HOSTS";
const HEAD_CHARS = 512;

// ---- URL and allow-list -------------------------------------------------------------------------
const effectivePort = (url: URL) => url.port || (url.protocol === "https:" ? "443" : "80");

/** "host" allows any port, "host:port" only that one; IPv6 as "::1" or "[::1]:8443". */
function isAllowedHost(url: URL, allowedHosts: readonly string[]): boolean {
  const host = bareHost(url.hostname);
  return allowedHosts.some((raw) => {
    const entry = raw.trim().toLowerCase();
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? /^([^:]+):(\d+)$/.exec(entry);
    const [h, port] = m ? [m[1], m[2]] : [entry, undefined];
    return !!h && bareHost(h) === host && (port === undefined || port === effectivePort(url));
  });
}

/** Syntax check, at save time and again at send time (the allow-list may have changed). */
export function checkDestinationUrl(
  raw: string,
  allowedHosts: readonly string[],
): { ok: true; url: URL } | { ok: false; reason: string } {
  const no = (reason: string) => ({ ok: false as const, reason });
  const text = raw.trim();
  if (text.length > 2048) return no("Destination URLs may be at most 2048 characters long");
  // The URL parser silently drops tabs and newlines; a URL that needs them was pasted wrongly.
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return no("Destination URLs must not contain spaces or control characters");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return no("That is not a valid URL; paste the full address, starting with https://");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return no(`${HTTP_REASON} (${url.protocol} is not supported)`);
  if (url.username || url.password) {
    return no("Destination URLs must not contain a user name or password (user:pass@): they would be stored and shown in clear");
  }
  if (!url.hostname) return no("Destination URLs must name a host");
  if (url.protocol === "http:" && !isAllowedHost(url, allowedHosts)) return no(HTTP_REASON);
  if (url.hash) return no("Destination URLs must not contain a #fragment: it is never sent to the server");
  return { ok: true, url };
}

const resolveAll = (host: string) =>
  new Promise<LookupAddress[]>((resolve, reject) =>
    dns.lookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/** Resolves the host and refuses when any of its addresses is not public. Used at save time. */
export async function checkDestinationAddress(
  url: URL,
  allowedHosts: readonly string[],
): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (isAllowedHost(url, allowedHosts)) return { ok: true };
  const host = bareHost(url.hostname);
  let addresses: LookupAddress[] = [{ address: host, family: net.isIP(host) }];
  if (!net.isIP(host)) {
    try {
      addresses = await resolveAll(host);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "DNS error";
      return { ok: false, reason: `${host} could not be resolved (${code}); check the host name` };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} has no addresses; check the host name` };
  for (const { address } of addresses) {
    const why = refusal(host, address);
    if (why) return { ok: false, reason: why };
  }
  return { ok: true };
}

// ---- Sending ------------------------------------------------------------------------------------
function parseRetryAfter(value: string | undefined): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  // Only delta-seconds or an HTTP-date: Date.parse would read junk like "5.5" as a date in 2001.
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : /\d{4}.*GMT$/i.test(v) ? Date.parse(v) - Date.now() : NaN;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), RETRY_WINDOW_MS) : undefined;
}

function textHead(chunks: Buffer[], maxBytes: number): string {
  const text = Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8");
  const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "").slice(0, HEAD_CHARS);
  return clean.replace(/[\ud800-\udbff]$/, ""); // never end on half a surrogate pair
}

function networkError(err: Error, where: string, host: string): string {
  const e = err as NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] };
  const code = e.code ?? e.errors?.[0]?.code ?? "";
  const plain: Record<string, string> = {
    ECONNREFUSED: `connection refused by ${where}`,
    ECONNRESET: `connection reset by ${where}`,
    EPIPE: `connection closed by ${where}`,
    ETIMEDOUT: `connection to ${where} timed out`,
    EHOSTUNREACH: `${where} is unreachable`,
    ENETUNREACH: `${where} is unreachable`,
    ENOTFOUND: `${host} could not be resolved (DNS)`,
    EAI_AGAIN: `${host} could not be resolved right now (DNS)`,
  };
  if (plain[code]) return plain[code];
  if (/CERT|TLS|SSL/.test(code)) return `TLS handshake with ${where} failed: ${e.message}`;
  return `could not reach ${where}: ${e.message}`;
}

function absolute(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function fromStatus(status: number, res: http.IncomingMessage, head: string, url: URL, latencyMs: number): DeliveryOutcome {
  const base = { status, latencyMs, responseHead: head };
  if (status >= 200 && status < 300) return { kind: "delivered", ...base };
  if (status >= 300 && status < 400) {
    const location = res.headers.location ? absolute(res.headers.location, url) : "nowhere";
    const error = `the destination answered with a redirect (HTTP ${status} to ${location.slice(0, 300)}); `
      + "redirects are not followed — use the final URL";
    return { kind: "final", ...base, error };
  }
  const error = `the destination answered HTTP ${status}`;
  if (status >= 500 || status === 408 || status === 429) {
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(res.headers["retry-after"]) : undefined;
    return { kind: "retry", ...base, error, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  return { kind: "final", ...base, error };
}

/** POSTs body with headers; never throws, never follows redirects, never reads a huge answer. */
export async function postDelivery(opts: {
  url: string;
  body: string;
  headers: Record<string, string>;
  allowedHosts: readonly string[];
  timeoutMs?: number;
  maxResponseBytes?: number;
}): Promise<DeliveryOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const checked = checkDestinationUrl(opts.url, opts.allowedHosts);
  if (!checked.ok) return { kind: "final", latencyMs: elapsed(), error: checked.reason };
  const url = checked.url;
  const host = bareHost(url.hostname);
  const where = `${url.hostname}:${effectivePort(url)}`;
  const allowed = isAllowedHost(url, opts.allowedHosts);
  // An IP literal never goes through `lookup`, so it is checked here, before any socket exists.
  const literalRefusal = !allowed && net.isIP(host) ? refusal(host, host) : null;
  if (literalRefusal) return { kind: "final", latencyMs: elapsed(), error: literalRefusal };

  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxResponseBytes ?? 65_536;
  const given = new Set(Object.keys(opts.headers).map((k) => k.toLowerCase()));
  const headers: Record<string, string | number> = {
    ...(given.has("content-type") ? {} : { "content-type": "application/json" }),
    ...Object.fromEntries(Object.entries(opts.headers).filter(([k]) => !/^(user-agent|content-length|host)$/i.test(k))),
    "user-agent": "zoho-oauth-console-alerts",
    "content-length": Buffer.byteLength(opts.body),
  };

  return new Promise<DeliveryOutcome>((resolve) => {
    let done = false;
    let req: http.ClientRequest | undefined;
    let answered: (() => void) | undefined; // set once the status line is in
    const finish = (outcome: DeliveryOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req?.destroy(); // also drops the rest of an over-long answer
      resolve(outcome);
    };
    // A receiver that already answered 2xx has the alert; a slow body must not make us send it twice.
    const timer = setTimeout(() => {
      if (answered) answered();
      else finish({ kind: "retry", latencyMs: elapsed(), error: `timed out after ${timeoutMs / 1000} s` });
    }, timeoutMs);
    try {
      const send = url.protocol === "https:" ? https.request : http.request;
      // agent: false — a fresh connection each time, so every send runs the guarded look-up.
      req = send(url, { method: "POST", headers, agent: false, lookup: allowed ? undefined : guardedLookup }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const conclude = () => finish(fromStatus(res.statusCode ?? 0, res, textHead(chunks, maxBytes), url, elapsed()));
        answered = conclude;
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= maxBytes) conclude();
        });
        res.on("end", conclude);
        res.on("close", conclude); // cut off mid-body: judge by what arrived
        res.on("error", conclude);
      });
      req.on("error", (err) => {
        if (err instanceof AddressRefusedError) finish({ kind: "final", latencyMs: elapsed(), error: err.message });
        else finish({ kind: "retry", latencyMs: elapsed(), error: networkError(err, where, host) });
      });
      req.end(opts.body);
    } catch (err) {
      // http.request throws synchronously on invalid header names or values.
      finish({ kind: "final", latencyMs: elapsed(), error: `the request could not be built: ${(err as Error).message}` });
    }
  });
}
