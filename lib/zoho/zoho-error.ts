/**
 * One error type for everything Zoho can answer, with text an ops engineer can act on.
 *
 * Messages are built only from fixed text, the DC, the host and Zoho's short error code:
 * never from request bodies, so a token, code or secret cannot leak into a log or a page.
 */
import type { DcLocation } from "./data-centres";

export const ZOHO_ERROR_KINDS = [
  "invalid_code",
  "invalid_client",
  "invalid_client_secret",
  "invalid_redirect_uri",
  "throttled",
  "network",
  "timeout",
  "server",
  "malformed",
  "unknown_token",
  "invalid_token",
  "insufficient_scope",
  "wrong_org",
  "other",
] as const;
export type ZohoErrorKind = (typeof ZOHO_ERROR_KINDS)[number];

export type ZohoOperation =
  | "exchange"
  | "refresh"
  | "revoke"
  | "client_credentials"
  | "user_info"
  | "discovery"
  | "verify"
  | "proxy";

export interface ZohoErrorContext {
  operation: ZohoOperation;
  /** DC the call went to, when known; fills messages like "not enabled in DC eu". */
  location?: DcLocation;
  /** Host called (no path, no query), e.g. `accounts.zoho.eu`. */
  host?: string;
  status?: number;
  /** Zoho's own short error code (`invalid_code`, `1006`, `INVALID_OAUTHTOKEN`), sanitised. */
  zohoCode?: string;
  /** The scope the call needs, when the caller knows it: scope errors then name it. */
  neededScope?: string;
  /** What the call was for, e.g. "choose a Desk organisation": scope errors say so. */
  purpose?: string;
  /** Zoho's answer named the access token invalid with a documented code (not a bare 401). */
  tokenNamedInvalid?: boolean;
}

const TRANSIENT: ReadonlySet<ZohoErrorKind> = new Set(["network", "timeout", "server"]);

/** Redacts anything token- or code-shaped and keeps the text short and single-line. */
export function sanitiseZohoText(text: unknown, max = 120): string | undefined {
  if (typeof text !== "string" && typeof text !== "number") return undefined;
  const clean = String(text)
    .replace(/1000\.[A-Za-z0-9.]+/g, "[redacted]")
    .replace(/[^\w .,:;'()/-]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean ? clean.slice(0, max) : undefined;
}

function where(ctx: ZohoErrorContext): string {
  if (ctx.location) return `DC ${ctx.location}`;
  return ctx.host ? `the data centre of ${ctx.host}` : "this data centre";
}

function texts(kind: ZohoErrorKind, ctx: ZohoErrorContext): { userMessage: string; advice: string } {
  const host = ctx.host ?? "Zoho";
  switch (kind) {
    case "invalid_code":
      return ctx.operation === "refresh"
        ? {
            userMessage: "Zoho no longer accepts this refresh token.",
            advice:
              "It was revoked in Zoho, evicted by a newer consent (Zoho keeps 20 per user and client), or the client secret changed. Reconnect to authorize again.",
          }
        : {
            userMessage: "The authorization code expired or was already used.",
            advice: "Codes live for about two minutes and work once. Start the authorization again.",
          };
    case "invalid_client":
      return {
        userMessage: `Zoho does not know this client in ${where(ctx)}.`,
        advice: `Check the client id. If the user's account lives in another data centre, this client is not enabled in ${where(ctx)} — enable multi-DC for it in Zoho's API console (Settings → Multi-DC).`,
      };
    case "invalid_client_secret":
      return {
        userMessage: "Zoho rejected the client secret.",
        advice: `Copy the secret again from Zoho's API console (with multi-DC, ${where(ctx)} may have its own secret) and replace it here.`,
      };
    case "invalid_redirect_uri":
      return {
        userMessage: "The redirect URI does not match the one registered in Zoho.",
        advice: "Paste this console's redirect URI into the client's Authorized Redirect URIs in Zoho's API console, exactly as shown.",
      };
    case "throttled":
      return {
        userMessage: "Zoho is throttling this client: too many requests in a short time.",
        advice: "Zoho blocks further requests for the rest of its ten-minute window. Wait, and avoid refreshing on every request.",
      };
    case "network":
      return {
        userMessage: `Could not reach ${host}.`,
        advice: "Check the network and DNS from this server to Zoho; the call will be retried.",
      };
    case "timeout":
      return {
        userMessage: `${host} did not answer in time.`,
        advice: "Zoho may be slow right now; the call will be retried. Raise the timeout if this keeps happening.",
      };
    case "server":
      return {
        userMessage: `${host} had a server error${ctx.status ? ` (HTTP ${ctx.status})` : ""}.`,
        advice: "This is on Zoho's side and usually passes; the call will be retried. Check status.zoho.com if it persists.",
      };
    case "malformed":
      return {
        userMessage: `${host} sent an answer that is not what Zoho's protocol says.`,
        advice: "Check that the accounts server and API base point at Zoho (a proxy or captive portal can answer instead).",
      };
    case "unknown_token":
      return {
        userMessage: "Zoho does not know this token.",
        advice: "It was already revoked or never existed there; nothing is left to revoke at Zoho.",
      };
    case "invalid_token":
      return {
        userMessage: "Zoho rejected the access token.",
        advice: `It expired or was revoked, or it is being used outside ${where(ctx)}. Refresh it; if that fails, reconnect.`,
      };
    case "insufficient_scope":
      if (ctx.neededScope) {
        const why = ctx.purpose ? ` to ${ctx.purpose}` : "";
        return {
          userMessage: `The token lacks ${ctx.neededScope}, which this call needs.`,
          advice: `Add ${ctx.neededScope}${why}: reconnect with ${ctx.neededScope} added to the connection's scopes.`,
        };
      }
      return {
        userMessage: "The token lacks a scope this call needs.",
        advice: "Reconnect with the missing scope added (the scope picker shows which call needs which scope).",
      };
    case "wrong_org":
      return {
        userMessage: `Zoho says this token cannot be used for that organisation${ctx.zohoCode ? ` (${ctx.zohoCode})` : ""}.`,
        advice:
          "Change the connection's organisation binding to one this token can see (Change binding runs discovery again). If the organisation is missing there, reconnect and pick it at Zoho's consent.",
      };
    case "other":
      return {
        userMessage: `Zoho answered with an error${ctx.zohoCode ? ` (${ctx.zohoCode})` : ""}.`,
        advice: "See Zoho's documentation for this code; if it persists, reconnect.",
      };
  }
}

export class ZohoError extends Error {
  readonly kind: ZohoErrorKind;
  readonly transient: boolean;
  readonly userMessage: string;
  readonly advice: string;
  readonly operation: ZohoOperation;
  readonly location?: DcLocation;
  readonly host?: string;
  readonly status?: number;
  readonly zohoCode?: string;
  /** An `invalid_token` whose answer carried one of Zoho's documented invalid-token codes. */
  readonly tokenNamedInvalid: boolean;

  constructor(kind: ZohoErrorKind, ctx: ZohoErrorContext, detail?: string) {
    const t = texts(kind, ctx);
    super(detail ? `${t.userMessage} ${detail}` : t.userMessage);
    this.name = "ZohoError";
    this.kind = kind;
    this.transient = TRANSIENT.has(kind);
    this.userMessage = detail ? `${t.userMessage} ${detail}` : t.userMessage;
    this.advice = t.advice;
    this.operation = ctx.operation;
    this.location = ctx.location;
    this.host = ctx.host;
    this.status = ctx.status;
    this.zohoCode = ctx.zohoCode;
    this.tokenNamedInvalid = kind === "invalid_token" && ctx.tokenNamedInvalid === true;
  }

  /** Plain object for logs, audit rows and action results; carries no secret by construction. */
  toJSON() {
    const { kind, transient, userMessage, advice, operation, location, host, status, zohoCode } = this;
    return { kind, transient, userMessage, advice, operation, location, host, status, zohoCode };
  }
}

export function isZohoError(e: unknown): e is ZohoError {
  return e instanceof ZohoError;
}

type ZohoResult<T> = { ok: true; value: T } | { ok: false; error: ZohoError };

/** For callers who prefer a discriminated result to try/catch. Non-Zoho errors still throw. */
export async function zohoResult<T>(promise: Promise<T>): Promise<ZohoResult<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (e) {
    if (isZohoError(e)) return { ok: false, error: e };
    throw e;
  }
}
