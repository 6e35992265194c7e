/**
 * The consent URL and its callback (zoho-oauth.md §1 "The callback"). Every callback parameter
 * arrives from the browser and is treated as hostile: it decides where a client secret is sent.
 */
import { findByAccountsServer, dataCentre, isDcLocation, type DataCentre, type DcLocation, type Realm } from "./data-centres";
import { formatScopeString } from "./scope-string";
import { accountsEndpoint } from "./token-client";

export type AccessType = "offline" | "online";

interface AuthorizationUrlInput {
  /** Where consent starts: `consentStartDc(client).accountsServer`. */
  accountsServer: string;
  clientId: string;
  redirectUri: string;
  scopes: string | readonly string[];
  accessType: AccessType;
  state: string;
  /** Forces the consent page. Always sent for offline: otherwise no refresh token after the first consent. */
  prompt?: "consent";
}

function required(value: unknown, name: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`${name} is required`);
  return value;
}

export function buildAuthorizationUrl(input: AuthorizationUrlInput): string {
  const params: [string, string][] = [
    ["client_id", required(input.clientId, "clientId")],
    ["response_type", "code"],
    ["redirect_uri", required(input.redirectUri, "redirectUri")],
    ["scope", formatScopeString(input.scopes)],
    ["access_type", input.accessType === "offline" ? "offline" : "online"],
  ];
  if (input.accessType === "offline" || input.prompt === "consent") params.push(["prompt", "consent"]);
  params.push(["state", required(input.state, "state")]);
  // Commas stay literal in the scope, as in Zoho's own examples; everything else is encoded.
  const query = params
    .map(([k, v]) => `${k}=${k === "scope" ? v.split(",").map(encodeURIComponent).join(",") : encodeURIComponent(v)}`)
    .join("&");
  return `${accountsEndpoint(input.accountsServer, "/oauth/v2/auth")}?${query}`;
}

// --- callback ---------------------------------------------------------------------------

type CallbackResult =
  | { kind: "success"; code: string; state: string; location: DcLocation; accountsServer: string; dataCentre: DataCentre }
  | { kind: "denied"; state?: string; error: string }
  | { kind: "invalid"; reason: string };

interface CallbackContext {
  realm: Realm;
  sandboxBaseUrl?: string;
}

type CallbackInput = URLSearchParams | string | Readonly<Record<string, string | readonly string[] | undefined>>;

const MAX_QUERY_LENGTH = 4096;
const MAX_PARAMS = 30;
const KNOWN = ["state", "code", "location", "accounts-server", "error", "error_description"] as const;
const MAX_LENGTH: Record<(typeof KNOWN)[number], number> = {
  state: 512,
  code: 600,
  location: 8,
  "accounts-server": 200,
  error: 100,
  error_description: 500,
};
export const CALLBACK_STATE_PATTERN = /^[A-Za-z0-9._~-]{8,512}$/;
export const GRANT_CODE_PATTERN = /^1000\.[0-9a-f]{8,256}\.[0-9a-f]{8,256}$/i;
const ERROR_PATTERN = /^[A-Za-z_]{1,64}$/;

function pairsOf(input: CallbackInput): [string, string][] | string {
  if (input instanceof URLSearchParams) return [...input.entries()];
  if (typeof input === "string") {
    let query = input;
    const q = query.indexOf("?");
    if (/^[a-z][a-z0-9+.-]*:/i.test(query)) query = q >= 0 ? query.slice(q + 1) : "";
    query = query.replace(/^\?/, "").split("#")[0];
    if (query.length > MAX_QUERY_LENGTH) return "the callback URL is too long";
    // Empty segments are skipped: Zoho's callback may end in a stray `&`.
    return [...new URLSearchParams(query).entries()];
  }
  return Object.entries(input).flatMap(([k, v]) =>
    v === undefined ? [] : (typeof v === "string" ? [v] : [...v]).map((x): [string, string] => [k, x]),
  );
}

export function parseCallbackParams(input: CallbackInput, ctx: CallbackContext): CallbackResult {
  const pairs = pairsOf(input);
  if (typeof pairs === "string") return { kind: "invalid", reason: pairs };
  if (pairs.length > MAX_PARAMS) return { kind: "invalid", reason: "the callback has too many parameters" };

  const p: Partial<Record<(typeof KNOWN)[number], string>> = {};
  for (const [key, value] of pairs) {
    if (!(KNOWN as readonly string[]).includes(key)) continue; // Zoho may add parameters; ignore them.
    const k = key as (typeof KNOWN)[number];
    if (p[k] !== undefined) return { kind: "invalid", reason: `the parameter "${k}" appears more than once` };
    if (value.length > MAX_LENGTH[k]) return { kind: "invalid", reason: `the parameter "${k}" is too long` };
    p[k] = value;
  }

  if (p.state !== undefined && !CALLBACK_STATE_PATTERN.test(p.state)) {
    return { kind: "invalid", reason: "the state parameter is malformed" };
  }
  if (p.error !== undefined) {
    if (p.code !== undefined) return { kind: "invalid", reason: "the callback carries both an error and a code" };
    if (!ERROR_PATTERN.test(p.error)) return { kind: "invalid", reason: "the error parameter is malformed" };
    return p.state === undefined ? { kind: "denied", error: p.error } : { kind: "denied", state: p.state, error: p.error };
  }

  if (p.state === undefined) return { kind: "invalid", reason: "the state parameter is missing" };
  if (p.code === undefined) return { kind: "invalid", reason: "the code parameter is missing" };
  if (!GRANT_CODE_PATTERN.test(p.code)) return { kind: "invalid", reason: "the code parameter is malformed" };

  const location = p.location?.toLowerCase();
  if (location === undefined) return { kind: "invalid", reason: "the location parameter is missing" };
  if (!isDcLocation(location)) return { kind: "invalid", reason: "the location is not a known Zoho data centre" };

  let dc: DataCentre;
  if (p["accounts-server"] !== undefined) {
    const found = findByAccountsServer(ctx.realm, p["accounts-server"], ctx.sandboxBaseUrl);
    if (!found) return { kind: "invalid", reason: "the accounts server is not a known Zoho accounts server" };
    if (found.location !== location) {
      return { kind: "invalid", reason: "the accounts server does not belong to the given location" };
    }
    dc = found;
  } else {
    // Older callbacks carry only `location`; our own table then says where its accounts server is.
    dc = dataCentre(ctx.realm, location, ctx.sandboxBaseUrl);
  }
  return { kind: "success", code: p.code, state: p.state, location, accountsServer: dc.accountsServer, dataCentre: dc };
}
