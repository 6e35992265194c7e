// The sandbox's persisted state. Everything here is plain JSON so it can be written to disk as is.
import type { Dc, Limits } from "./config";

export type GrantType = "authorization_code" | "refresh_token" | "client_credentials";
export const GRANT_TYPES: GrantType[] = ["authorization_code", "refresh_token", "client_credentials"];

export type Service = "desk" | "assist" | "salesiq";
export type AssistEnvironment = "production" | "sandbox" | "developer";

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
  /** Optional per-DC secrets; a DC without one uses clientSecret. */
  dcSecrets: Partial<Record<Dc, string>>;
  name: string;
  homepage: string;
  redirectUris: string[];
  type: "server" | "self";
  homeDc: Dc;
  enabledDcs: Dc[];
  ownerZuid: string | null;
  createdAt: number;
}

export interface SandboxUser {
  zuid: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  dc: Dc;
}

export interface Department {
  id: string;
  name: string;
  displayName: string;
}

export interface SandboxOrg {
  id: string;
  service: Service;
  name: string;
  dc: Dc;
  memberZuids: string[];
  /** Desk */
  portalName?: string;
  edition?: string;
  /** Assist */
  environment?: AssistEnvironment;
  departments?: Department[];
  /** SalesIQ */
  screenname?: string;
  createdAt: number;
}

export interface OrgBinding {
  service: Service;
  orgId: string;
}

export interface GrantCode {
  code: string;
  clientId: string;
  zuid: string;
  dc: Dc;
  scopes: string[];
  /** null for self-client codes, which are exchanged without one. */
  redirectUri: string | null;
  issueRefreshToken: boolean;
  orgBinding: OrgBinding | null;
  selfClient: boolean;
  description: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface RateWindow {
  start: number;
  count: number;
}

export interface RefreshTokenRecord {
  token: string;
  clientId: string;
  zuid: string;
  dc: Dc;
  scopes: string[];
  orgBinding: OrgBinding | null;
  createdAt: number;
  revokedAt: number | null;
  revokedReason: string | null;
  window: RateWindow;
}

export interface AccessTokenRecord {
  token: string;
  clientId: string;
  zuid: string;
  dc: Dc;
  scopes: string[];
  orgBinding: OrgBinding | null;
  refreshToken: string | null;
  grantType: GrantType;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedReason: string | null;
}

export interface TokenFault {
  status?: number;
  delayMs?: number;
  throttle?: boolean;
  /** How many token-endpoint calls the fault applies to; absent means until cleared. */
  count?: number;
}

/** A slow product API (Desk, Assist, SalesIQ): every call waits before it answers. */
export interface ApiFault {
  delayMs: number;
  /** Answer product calls with this status and body instead (a token is still required). */
  status?: number;
  body?: string;
  /** How many product API calls the fault applies to; absent means until cleared. */
  count?: number;
}

export interface Faults {
  token?: TokenFault;
  api?: ApiFault;
}

export type MintCounts = Record<GrantType, number>;

export interface Counters {
  tokenEndpointCalls: number;
  /**
   * Most token-endpoint requests in flight at once since the last reset: how many refreshes a
   * client runs in parallel. A request counts from its arrival until its response ends or its
   * connection drops.
   */
  tokenEndpointPeakInFlight: number;
  tokensMinted: MintCounts;
  tokensMintedByClient: Record<string, MintCounts>;
  refreshTokensIssued: number;
  codesIssued: number;
  revocations: number;
  grantRemovals: number;
  evictions: number;
  throttled: number;
}

export interface SandboxState {
  version: 1;
  clockOffsetMs: number;
  limits: Limits;
  faults: Faults;
  clients: Record<string, SandboxClient>;
  users: Record<string, SandboxUser>;
  orgs: SandboxOrg[];
  codes: Record<string, GrantCode>;
  refreshTokens: Record<string, RefreshTokenRecord>;
  accessTokens: Record<string, AccessTokenRecord>;
  codeWindows: Record<string, RateWindow>;
  refreshTokenWindows: Record<string, RateWindow>;
  counters: Counters;
}
