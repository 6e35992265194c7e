/**
 * Zoho data centres (zoho-oauth.md §2) and the local sandbox's mirror of them.
 *
 * A connection lives in exactly one DC: its token, refresh and revoke calls go to that DC's
 * accounts server, and its API calls go to that DC's products. Getting this wrong is the most
 * common Zoho integration failure (`invalid_client`, `INVALID_TOKEN`), so the table lives here once.
 */

export const DC_LOCATIONS = ["us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn"] as const;
export type DcLocation = (typeof DC_LOCATIONS)[number];

/** `live` is Zoho itself; `sandbox` is the local server that speaks Zoho's protocol. */
export type Realm = "live" | "sandbox";

interface DataCentreProducts {
  desk: string;
  assist: string;
  salesiq: string;
}

export interface DataCentre {
  location: DcLocation;
  label: string;
  /** Base URL without trailing slash, e.g. `https://accounts.zoho.eu`. */
  accountsServer: string;
  /** Default API domain; the token response's `api_domain` wins when present. */
  apiDomain: string;
  products: DataCentreProducts;
}

export const DC_LABELS: Readonly<Record<DcLocation, string>> = {
  us: "United States",
  eu: "Europe",
  in: "India",
  au: "Australia",
  jp: "Japan",
  ca: "Canada",
  sa: "Saudi Arabia",
  uk: "United Kingdom",
  cn: "China",
};

// Canada is the odd one out: its accounts and products sit on zohocloud.ca while its API
// domain is zohoapis.ca, so the table spells out all three domains rather than deriving them.
const LIVE_DOMAINS: Readonly<Record<DcLocation, { web: string; api: string }>> = {
  us: { web: "zoho.com", api: "zohoapis.com" },
  eu: { web: "zoho.eu", api: "zohoapis.eu" },
  in: { web: "zoho.in", api: "zohoapis.in" },
  au: { web: "zoho.com.au", api: "zohoapis.com.au" },
  jp: { web: "zoho.jp", api: "zohoapis.jp" },
  ca: { web: "zohocloud.ca", api: "zohoapis.ca" },
  sa: { web: "zoho.sa", api: "zohoapis.sa" },
  uk: { web: "zoho.uk", api: "zohoapis.uk" },
  cn: { web: "zoho.com.cn", api: "zohoapis.com.cn" },
};

const LIVE: readonly DataCentre[] = DC_LOCATIONS.map((location) => {
  const { web, api } = LIVE_DOMAINS[location];
  return Object.freeze({
    location,
    label: DC_LABELS[location],
    accountsServer: `https://accounts.${web}`,
    apiDomain: `https://www.${api}`,
    products: Object.freeze({
      desk: `https://desk.${web}`,
      assist: `https://assist.${web}`,
      salesiq: `https://salesiq.${web}`,
    }),
  });
});

export function isDcLocation(value: unknown): value is DcLocation {
  return typeof value === "string" && (DC_LOCATIONS as readonly string[]).includes(value);
}

/**
 * Normalises the sandbox base URL (scheme + host + optional path prefix, no trailing slash).
 * Throws on anything else: a wrong base would send secrets to the wrong place.
 */
export function normaliseSandboxBaseUrl(base: string | undefined): string {
  if (!base || typeof base !== "string") {
    throw new TypeError("The sandbox realm needs the sandbox base URL (e.g. http://127.0.0.1:4010)");
  }
  let url: URL;
  try {
    url = new URL(base.trim());
  } catch {
    throw new TypeError(`The sandbox base URL is not a URL: ${JSON.stringify(base)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("The sandbox base URL must be http or https");
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError("The sandbox base URL must not carry credentials, a query or a fragment");
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function sandboxDataCentre(base: string, location: DcLocation): DataCentre {
  const root = `${base}/${location}`;
  return Object.freeze({
    location,
    label: `${DC_LABELS[location]} (sandbox)`,
    accountsServer: `${root}/accounts`,
    apiDomain: `${root}/zohoapis`,
    products: Object.freeze({
      desk: `${root}/desk`,
      assist: `${root}/assist`,
      salesiq: `${root}/salesiq`,
    }),
  });
}

/** Every data centre of a realm, in `DC_LOCATIONS` order. */
// The sandbox's data centres per base URL as configured: the same few values on every call (the
// token API asks once per request), so each is parsed and built once. Entries are frozen.
const sandboxTables = new Map<string, readonly DataCentre[]>();

export function dataCentres(realm: Realm, sandboxBaseUrl?: string): readonly DataCentre[] {
  if (realm === "live") return LIVE;
  const known = sandboxBaseUrl === undefined ? undefined : sandboxTables.get(sandboxBaseUrl);
  if (known) return known;
  const base = normaliseSandboxBaseUrl(sandboxBaseUrl);
  const table = Object.freeze(DC_LOCATIONS.map((location) => sandboxDataCentre(base, location)));
  if (sandboxTables.size > 16) sandboxTables.clear();
  sandboxTables.set(sandboxBaseUrl!, table);
  return table;
}

export function dataCentre(realm: Realm, location: DcLocation, sandboxBaseUrl?: string): DataCentre {
  if (!isDcLocation(location)) throw new TypeError(`Unknown Zoho data centre: ${String(location)}`);
  return dataCentres(realm, sandboxBaseUrl)[DC_LOCATIONS.indexOf(location)];
}

// Only characters a genuine accounts server URL can contain. This alone rules out userinfo
// (`@`), backslash tricks, percent-encoding, queries, fragments and whitespace.
const ACCOUNTS_URL_CHARS = /^[A-Za-z0-9:/._-]+$/;
const ACCOUNTS_URL_SHAPE = /^(https?):\/\/([^/]+)(\/.*)?$/i;
const MAX_ACCOUNTS_URL_LENGTH = 200;

/**
 * The data centre whose accounts server is exactly `url`, or undefined.
 *
 * The value usually arrives from the browser (`accounts-server` on the callback) and decides
 * where a client secret is sent next, so the match is exact: scheme and host compared
 * case-insensitively, one trailing slash tolerated, nothing else.
 */
export function findByAccountsServer(
  realm: Realm,
  url: unknown,
  sandboxBaseUrl?: string,
): DataCentre | undefined {
  if (typeof url !== "string" || url.length === 0 || url.length > MAX_ACCOUNTS_URL_LENGTH) return undefined;
  if (!ACCOUNTS_URL_CHARS.test(url)) return undefined;
  const shape = ACCOUNTS_URL_SHAPE.exec(url);
  if (!shape) return undefined;
  try {
    new URL(url);
  } catch {
    return undefined;
  }
  const path = (shape[3] ?? "").replace(/\/$/, "");
  const candidate = `${shape[1].toLowerCase()}://${shape[2].toLowerCase()}${path}`;
  return dataCentres(realm, sandboxBaseUrl).find((dc) => dc.accountsServer === candidate);
}

/** What the DC rules need to know about a registered client. */
interface ClientDcConfig {
  realm: Realm;
  homeDc: DcLocation;
  /** Multi-DC enabled in Zoho's API console (never true for a self client). */
  multiDc: boolean;
  /** DCs the client is enabled in besides its home DC; only meaningful when multiDc. */
  enabledDcs?: readonly DcLocation[];
  clientType?: "server" | "self";
}

/** Locations whose users may complete consent through this client. */
export function enabledLocations(client: ClientDcConfig): DcLocation[] {
  if (!client.multiDc || client.clientType === "self") return [client.homeDc];
  const set = new Set<DcLocation>([client.homeDc, ...(client.enabledDcs ?? [])]);
  return DC_LOCATIONS.filter((l) => set.has(l));
}

/**
 * Where consent starts. A multi-DC client starts at the US accounts server and Zoho sends the
 * user on to their own DC; China is a separate deployment, so a China client always starts
 * there. The sandbox mirrors Zoho, so the same rule applies to sandbox clients.
 */
export function consentStartDc(client: ClientDcConfig, sandboxBaseUrl?: string): DataCentre {
  const multi = client.multiDc && client.clientType !== "self";
  const location: DcLocation = multi && client.homeDc !== "cn" ? "us" : client.homeDc;
  return dataCentre(client.realm, location, sandboxBaseUrl);
}

/**
 * Whether `apiDomain` (a token answer's `api_domain`) is the API domain of one of the realm's
 * data centres. It decides where later API calls carry the access token, so an answer naming
 * any other host is not believed.
 */
export function isKnownApiDomain(realm: Realm, apiDomain: string, sandboxBaseUrl?: string): boolean {
  const wanted = apiDomain.trim().replace(/\/+$/, "").toLowerCase();
  return dataCentres(realm, sandboxBaseUrl).some((dc) => dc.apiDomain.toLowerCase() === wanted);
}
