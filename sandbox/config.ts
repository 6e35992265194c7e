// Data centres and limits of the sandbox. Numbers where Zoho's own pages disagree are limits the
// admin API can change at run time, so tests can pin whichever value they care about.

export const DCS = ["us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn"] as const;
export type Dc = (typeof DCS)[number];

export const DC_NAMES: Record<Dc, string> = {
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

export function isDc(value: unknown): value is Dc {
  return typeof value === "string" && (DCS as readonly string[]).includes(value);
}

export interface Limits {
  accessTokenLifetimeSec: number;
  codeLifetimeSec: number;
  /** Access tokens one refresh token may mint per window; the next request is throttled. */
  refreshMintsPerWindow: number;
  refreshMintWindowSec: number;
  /** Live access tokens per refresh token; minting one more invalidates the oldest. */
  maxActiveAccessTokensPerRefreshToken: number;
  /** Refresh tokens per user per client; the next one evicts the oldest with its access tokens. */
  maxRefreshTokensPerUserPerClient: number;
  refreshTokensPerUserPerClientPerWindow: number;
  refreshTokenWindowSec: number;
  codesPerClientPerWindow: number;
  codeWindowSec: number;
  /** access_type=offline yields a refresh token only on first consent unless prompt=consent. */
  refreshTokenOnFirstConsentOnly: boolean;
  /** Old-style answers: expires_in in milliseconds plus expires_in_sec. */
  legacyExpiresIn: boolean;
  /** Accept scopes that Zoho's examples use but its scope tables do not list (see scopes.ts). */
  exampleScopes: boolean;
  /** End the consent callback URL with a stray `&`, as Zoho sometimes does. */
  strayAmpersand: boolean;
  /** HTTP status of Desk's `SCOPE_MISMATCH`; Desk's error table names the code, not the status. */
  deskScopeMismatchStatus: number;
  /** HTTP status of Desk's `OAUTH_ORG_MISMATCH` (an `orgId` the token cannot use). */
  deskOrgMismatchStatus: number;
}

/** Limits that are HTTP statuses: only 4xx makes sense for them. */
export const STATUS_LIMITS = ["deskScopeMismatchStatus", "deskOrgMismatchStatus"] as const;

export const DEFAULT_LIMITS: Limits = {
  accessTokenLifetimeSec: 3600,
  codeLifetimeSec: 120,
  refreshMintsPerWindow: 10,
  refreshMintWindowSec: 600,
  maxActiveAccessTokensPerRefreshToken: 15,
  maxRefreshTokensPerUserPerClient: 20,
  refreshTokensPerUserPerClientPerWindow: 10,
  refreshTokenWindowSec: 600,
  codesPerClientPerWindow: 10,
  codeWindowSec: 600,
  refreshTokenOnFirstConsentOnly: true,
  legacyExpiresIn: false,
  exampleScopes: false,
  strayAmpersand: false,
  deskScopeMismatchStatus: 401,
  deskOrgMismatchStatus: 403,
};

/** Self-client codes may only live for one of the durations Zoho's console offers. */
export const SELF_CLIENT_CODE_MINUTES = [3, 5, 7, 10] as const;

/** Request bodies above this are refused before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface SandboxUrls {
  base: string;
  accounts(dc: Dc): string;
  apiDomain(dc: Dc): string;
  product(dc: Dc, product: "desk" | "assist" | "salesiq"): string;
}

export function sandboxUrls(base: string): SandboxUrls {
  const root = base.replace(/\/+$/, "");
  return {
    base: root,
    accounts: (dc) => `${root}/${dc}/accounts`,
    apiDomain: (dc) => `${root}/${dc}/zohoapis`,
    product: (dc, product) => `${root}/${dc}/${product}`,
  };
}
