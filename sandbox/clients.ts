// Registering clients, users and organisations, and self-client codes: shared by the admin API
// and the developer console so both enforce the same rules.
import { DCS, SELF_CLIENT_CODE_MINUTES, type Dc } from "./config";
import { issueCode } from "./grants";
import { CLIENT_ID_PATTERN, newClientId, newClientSecret, newNumericId } from "./ids";
import { parseScopeList, requestsService } from "./scopes";
import type { SandboxStore } from "./store";
import type { AssistEnvironment, GrantCode, SandboxClient, SandboxOrg, SandboxUser, Service } from "./types";
import { InputError, isHttpUrl } from "./validate";

export interface ClientInput {
  name: string;
  type: "server" | "self";
  homepage?: string;
  redirectUris?: string[];
  homeDc?: Dc;
  enabledDcs?: Dc[];
  ownerZuid?: string | null;
  clientId?: string;
  clientSecret?: string;
  dcSecrets?: Partial<Record<Dc, string>>;
}

export function checkRedirectUris(uris: string[]): string[] {
  if (uris.length === 0) throw new InputError("at least one authorized redirect URI is required");
  for (const u of uris) if (!isHttpUrl(u)) throw new InputError(`not an http(s) URL: ${u}`);
  return [...new Set(uris)];
}

export function createClient(store: SandboxStore, input: ClientInput): SandboxClient {
  const { state } = store;
  const homeDc = input.homeDc ?? "us";
  const clientId = input.clientId ?? newClientId();
  if (!CLIENT_ID_PATTERN.test(clientId)) throw new InputError("clientId must be 1000. followed by 30 uppercase letters or digits");
  if (state.clients[clientId]) throw new InputError(`client ${clientId} already exists`);
  if (input.type === "self") {
    if (!input.ownerZuid) throw new InputError("a self client needs an owner");
    if (input.enabledDcs && input.enabledDcs.some((d) => d !== homeDc)) throw new InputError("a self client cannot be multi-DC");
    const existing = Object.values(state.clients).find((c) => c.type === "self" && c.ownerZuid === input.ownerZuid);
    if (existing) throw new InputError("this user already has a self client");
  }
  const redirectUris = input.type === "server" ? checkRedirectUris(input.redirectUris ?? []) : [];
  if (input.homepage && !isHttpUrl(input.homepage)) throw new InputError("homepage must be an http(s) URL");
  const client: SandboxClient = {
    clientId,
    clientSecret: input.clientSecret || newClientSecret(),
    dcSecrets: input.dcSecrets ?? {},
    name: input.name,
    homepage: input.homepage ?? "",
    redirectUris,
    type: input.type,
    homeDc,
    enabledDcs: [...new Set<Dc>([homeDc, ...(input.enabledDcs ?? [])])],
    ownerZuid: input.ownerZuid ?? null,
    createdAt: store.now(),
  };
  state.clients[clientId] = client;
  store.changed();
  return client;
}

export function setEnabledDcs(store: SandboxStore, client: SandboxClient, dcs: Dc[]): void {
  if (client.type === "self" && dcs.some((d) => d !== client.homeDc)) throw new InputError("a self client cannot be multi-DC");
  client.enabledDcs = DCS.filter((d) => d === client.homeDc || dcs.includes(d));
  store.changed();
}

export interface UserInput {
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
  dc?: Dc;
  zuid?: string;
}

export function createUser(store: SandboxStore, input: UserInput): SandboxUser {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email)) throw new InputError("email is not an email address");
  if (store.userByEmail(input.email)) throw new InputError(`user ${input.email} already exists`);
  const zuid = input.zuid ?? newNumericId(9);
  if (!/^\d{1,19}$/.test(zuid) || store.state.users[zuid]) throw new InputError("zuid must be unused digits");
  const local = input.email.split("@")[0];
  const user: SandboxUser = {
    zuid,
    email: input.email,
    password: input.password,
    firstName: input.firstName ?? local,
    lastName: input.lastName ?? "",
    dc: input.dc ?? "us",
  };
  store.state.users[zuid] = user;
  store.changed();
  return user;
}

export interface OrgInput {
  service: Service;
  name: string;
  memberZuids: string[];
  dc?: Dc;
  id?: string;
  environment?: AssistEnvironment;
  departments?: string[];
  screenname?: string;
  portalName?: string;
  edition?: string;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "").slice(0, 30) || "portal";

export function createOrg(store: SandboxStore, input: OrgInput): SandboxOrg {
  const { state } = store;
  if (input.memberZuids.length === 0) throw new InputError("an organisation needs at least one member");
  const first = state.users[input.memberZuids[0]];
  const id = input.id ?? newNumericId(12);
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(id) || state.orgs.some((o) => o.id === id)) throw new InputError("id must be unused letters or digits");
  const org: SandboxOrg = { id, service: input.service, name: input.name, dc: input.dc ?? first.dc, memberZuids: input.memberZuids, createdAt: store.now() };
  if (input.service === "desk") {
    org.portalName = input.portalName ?? slug(input.name);
    org.edition = input.edition ?? "PROFESSIONAL";
  } else if (input.service === "assist") {
    org.environment = input.environment ?? "production";
    const names = input.departments?.length ? input.departments : ["General"];
    org.departments = names.map((name) => ({ id: newNumericId(12), name, displayName: name }));
  } else {
    const screenname = input.screenname ?? slug(input.name);
    if (!/^[a-z0-9]{1,50}$/.test(screenname) || state.orgs.some((o) => o.screenname === screenname)) {
      throw new InputError("screenname must be unused lowercase letters or digits");
    }
    org.screenname = screenname;
  }
  state.orgs.push(org);
  store.changed();
  return org;
}

export interface SelfCodeInput {
  scopes: string;
  minutes: number;
  description: string;
  orgId?: string;
}

/** Self-client codes: the user picks scopes, lifetime and (for org-bound services) the org. */
export function generateSelfClientCode(store: SandboxStore, client: SandboxClient, input: SelfCodeInput): GrantCode {
  if (client.type !== "self" || !client.ownerZuid) throw new InputError("only a self client can generate codes here");
  const scopes = parseScopeList(input.scopes, store.state.limits);
  if (!scopes) throw new InputError("Enter a valid scope");
  if (!(SELF_CLIENT_CODE_MINUTES as readonly number[]).includes(input.minutes)) {
    throw new InputError("duration must be 3, 5, 7 or 10 minutes");
  }
  const orgs = store.orgsOf(client.ownerZuid);
  let org = input.orgId ? orgs.find((o) => o.id === input.orgId) : undefined;
  if (input.orgId && !org) throw new InputError("choose one of your organisations");
  if (!org && requestsService(scopes, "zohoassist")) {
    const assist = orgs.filter((o) => o.service === "assist");
    if (assist.length === 1) org = assist[0];
  }
  const code = issueCode(store, {
    clientId: client.clientId,
    zuid: client.ownerZuid,
    dc: client.homeDc,
    scopes,
    redirectUri: null,
    issueRefreshToken: true,
    orgBinding: org ? { service: org.service, orgId: org.id } : null,
    selfClient: true,
    description: input.description,
    lifetimeSec: input.minutes * 60,
  });
  if (code === "throttled") throw new InputError("Too many codes generated for this client; try again later.");
  return code;
}
