// The fixed demo world. Tests of the console rely on these exact values; keep them stable and
// keep sandbox/README.md in step when changing anything here.
import { DCS, DEFAULT_LIMITS } from "./config";
import type { Counters, SandboxClient, SandboxOrg, SandboxState, SandboxUser } from "./types";

export const SEED_PASSWORD = "sandbox";

export const DEMO_CLIENT_ID = "1000.SANDBOXDEMOCLIENT0000000000001";
export const DEMO_CLIENT_SECRET = "921a136c519af4add1259a811d596576988c5806b6";
export const DEMO_CLIENT_NAME = "Zoho OAuth Console (demo)";

export const SELF_CLIENT_ID = "1000.SANDBOXSELFCLIENT0000000000001";
export const SELF_CLIENT_SECRET = "f12fac6e2165643bddb579fc3f8de72c0df84a11cd";

/** Two Desk orgs, Assist orgs in all three environments, two SalesIQ portals. */
export const MULTI_USER = {
  zuid: "70000001",
  email: "ada@zylker.com",
  firstName: "Ada",
  lastName: "Lovelace",
  dc: "us",
} as const;
/** Exactly one org of each service. */
export const SINGLE_USER = {
  zuid: "70000002",
  email: "ben@zylker.com",
  firstName: "Ben",
  lastName: "Okafor",
  dc: "us",
} as const;
/** Account lives in eu: consent started at us ends on eu. */
export const EU_USER = {
  zuid: "70000003",
  email: "eva@zylker.eu",
  firstName: "Eva",
  lastName: "Schmidt",
  dc: "eu",
} as const;

export const SEED_ORGS = {
  deskZylkerSupport: "700000001001",
  deskZylkerLabs: "700000001002",
  assistProduction: "800000001001",
  assistSandbox: "800000001002",
  assistDeveloper: "800000001003",
  salesiqZylkerChat: "zylkerchat",
  salesiqZylkerLabs: "zylkerlabs",
  deskBen: "700000002001",
  assistBen: "800000002001",
  salesiqBen: "bensbakery",
  deskEva: "700000003001",
  assistEva: "800000003001",
  salesiqEva: "schmidtgmbh",
} as const;

export function demoRedirectUri(consoleUrl: string): string {
  return `${consoleUrl.replace(/\/+$/, "")}/api/oauth/callback`;
}

export function emptyCounters(): Counters {
  const zero = () => ({ authorization_code: 0, refresh_token: 0, client_credentials: 0 });
  return {
    tokenEndpointCalls: 0,
    tokenEndpointPeakInFlight: 0,
    tokensMinted: zero(),
    tokensMintedByClient: {},
    refreshTokensIssued: 0,
    codesIssued: 0,
    revocations: 0,
    grantRemovals: 0,
    evictions: 0,
    throttled: 0,
  };
}

function user(u: Omit<SandboxUser, "password">): SandboxUser {
  return { ...u, password: SEED_PASSWORD };
}

function dept(id: string, name: string) {
  return { id, name, displayName: name };
}

function seedOrgs(): SandboxOrg[] {
  const at = Date.UTC(2024, 0, 15);
  const ada = [MULTI_USER.zuid];
  const ben = [SINGLE_USER.zuid];
  const eva = [EU_USER.zuid];
  const o = SEED_ORGS;
  return [
    { id: o.deskZylkerSupport, service: "desk", name: "Zylker Support", dc: "us", memberZuids: ada, portalName: "zylkersupport", edition: "ENTERPRISE", createdAt: at },
    { id: o.deskZylkerLabs, service: "desk", name: "Zylker Labs", dc: "us", memberZuids: ada, portalName: "zylkerlabs", edition: "PROFESSIONAL", createdAt: at },
    { id: o.assistProduction, service: "assist", name: "Zylker Assist", dc: "us", memberZuids: ada, environment: "production", departments: [dept("900000001001", "Support"), dept("900000001002", "Field Engineering")], createdAt: at },
    { id: o.assistSandbox, service: "assist", name: "Zylker Assist Sandbox", dc: "us", memberZuids: ada, environment: "sandbox", departments: [dept("900000001003", "QA")], createdAt: at },
    { id: o.assistDeveloper, service: "assist", name: "Zylker Assist Developer", dc: "us", memberZuids: ada, environment: "developer", departments: [dept("900000001004", "Integrations")], createdAt: at },
    { id: "600000001001", service: "salesiq", name: "Zylker Chat", dc: "us", memberZuids: ada, screenname: o.salesiqZylkerChat, createdAt: at },
    { id: "600000001002", service: "salesiq", name: "Zylker Labs Chat", dc: "us", memberZuids: ada, screenname: o.salesiqZylkerLabs, createdAt: at },
    { id: o.deskBen, service: "desk", name: "Ben's Bakery Help", dc: "us", memberZuids: ben, portalName: "bensbakery", edition: "STANDARD", createdAt: at },
    { id: o.assistBen, service: "assist", name: "Ben's Bakery Assist", dc: "us", memberZuids: ben, environment: "production", departments: [dept("900000002001", "Front Desk")], createdAt: at },
    { id: "600000002001", service: "salesiq", name: "Ben's Bakery Chat", dc: "us", memberZuids: ben, screenname: o.salesiqBen, createdAt: at },
    { id: o.deskEva, service: "desk", name: "Schmidt GmbH Support", dc: "eu", memberZuids: eva, portalName: "schmidtgmbh", edition: "PROFESSIONAL", createdAt: at },
    { id: o.assistEva, service: "assist", name: "Schmidt GmbH Assist", dc: "eu", memberZuids: eva, environment: "production", departments: [dept("900000003001", "Kundendienst")], createdAt: at },
    { id: "600000003001", service: "salesiq", name: "Schmidt GmbH Chat", dc: "eu", memberZuids: eva, screenname: o.salesiqEva, createdAt: at },
  ];
}

export function buildSeedState(consoleUrl: string): SandboxState {
  const createdAt = Date.UTC(2024, 0, 15);
  const demo: SandboxClient = {
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    dcSecrets: {},
    name: DEMO_CLIENT_NAME,
    homepage: consoleUrl,
    redirectUris: [demoRedirectUri(consoleUrl)],
    type: "server",
    homeDc: "us",
    enabledDcs: [...DCS],
    ownerZuid: MULTI_USER.zuid,
    createdAt,
  };
  const self: SandboxClient = {
    clientId: SELF_CLIENT_ID,
    clientSecret: SELF_CLIENT_SECRET,
    dcSecrets: {},
    name: "Self Client",
    homepage: "",
    redirectUris: [],
    type: "self",
    homeDc: "us",
    enabledDcs: ["us"],
    ownerZuid: MULTI_USER.zuid,
    createdAt,
  };
  const users = [user(MULTI_USER), user(SINGLE_USER), user(EU_USER)];
  return {
    version: 1,
    clockOffsetMs: 0,
    limits: { ...DEFAULT_LIMITS },
    faults: {},
    clients: { [demo.clientId]: demo, [self.clientId]: self },
    users: Object.fromEntries(users.map((u) => [u.zuid, u])),
    orgs: seedOrgs(),
    codes: {},
    refreshTokens: {},
    accessTokens: {},
    codeWindows: {},
    refreshTokenWindows: {},
    counters: emptyCounters(),
  };
}
