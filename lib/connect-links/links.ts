import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, tx, type Db } from "@/db/client";
import { connectLinks, type ConnectLinkKind, type ConnectLinkRow } from "@/db/schema";
import { actorOf } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/session";
import { getClient, type ClientDto } from "@/lib/clients";
import { config } from "@/lib/config";
import { connectionStatus, STATUS_LABELS, type StatusKind } from "@/lib/connection-status";
import { factsOf, loadConnection } from "@/lib/connections/queries";
import { UserError } from "@/lib/errors";
import { consentStartDc, DC_LABELS, PROFILE_SCOPE, type AccessType, type DcLocation } from "@/lib/zoho";
import { realmBase } from "@/lib/realm";
import { auditLink } from "./audit";
import { expireIfDue } from "./expiry";
import { lifetimeToMs, LINK_LIFETIME_MINUTES, type CreateLinkValues, type ReconnectLinkValues } from "./input";
import { generateLinkToken, hashLinkToken } from "./token";
import { LINK_STATE_LABELS, OPEN_STATES } from "./view";

type Creator = Pick<SessionUser, "id" | "email">;

/** What a link fixes when it is made; nothing its owner sends can change it. */
interface LinkParameters {
  kind: ConnectLinkKind;
  connectionRef: number | null;
  clientRef: number;
  scopes: string[];
  accessType: AccessType;
  connectionName: string;
  expectedEmail: string | null;
  startLocation: DcLocation;
  lifetimeMs: number;
}

/** The link's address, shown once: the token exists nowhere else. */
const linkUrl = (token: string) => `${config().CONSOLE_PUBLIC_URL}/connect/${token}`;

async function serverClient(clientRef: number): Promise<ClientDto> {
  const client = await getClient(clientRef);
  if (!client) throw new UserError("This client no longer exists.", "clientRef");
  if (client.clientType !== "server") {
    throw new UserError("Self clients have no consent page, so a connect link cannot use one. Choose a server-based client.", "clientRef");
  }
  return client;
}

/** Where consent starts unless the creator chose: as the console's own flow starts it. */
function defaultStart(client: ClientDto): DcLocation {
  const start = consentStartDc(client, realmBase(client.realm)).location;
  return client.enabledDcs.includes(start) ? start : client.homeDc;
}

function checkStart(client: ClientDto, location: DcLocation) {
  if (!client.enabledDcs.includes(location)) {
    const names = client.enabledDcs.map((l) => DC_LABELS[l]).join(", ");
    throw new UserError(`${client.name} is not enabled in ${DC_LABELS[location]}. Choose one of: ${names}.`, "startLocation");
  }
}

async function insertLink(db: Db, p: LinkParameters, creator: Creator, now: number): Promise<{ row: ConnectLinkRow; token: string }> {
  const token = generateLinkToken();
  const [row] = await db
    .insert(connectLinks)
    .values({
      tokenHash: hashLinkToken(token),
      kind: p.kind,
      connectionRef: p.connectionRef,
      clientRef: p.clientRef,
      scopes: p.scopes,
      accessType: p.accessType,
      connectionName: p.connectionName,
      expectedEmail: p.expectedEmail,
      startLocation: p.startLocation,
      expiresAt: new Date(now + p.lifetimeMs),
      createdBy: creator.id,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    .returning();
  return { row, token };
}

const createDetail = (p: LinkParameters, clientName: string) => ({
  kind: p.kind,
  client: p.clientRef,
  clientName,
  ...(p.connectionRef ? { connection: p.connectionRef } : {}),
  name: p.connectionName,
  scopes: p.scopes,
  accessType: p.accessType,
  expectedEmail: p.expectedEmail,
  location: p.startLocation,
  lifetimeMinutes: Math.round(p.lifetimeMs / 60_000),
});

async function make(p: LinkParameters, clientName: string, creator: Creator, ip: string | null, extra: Record<string, unknown> = {}, now = Date.now()) {
  const { row, token } = await tx(async (db) => {
    const made = await insertLink(db, p, creator, now);
    await auditLink({ actor: actorOf(creator), step: "create", linkId: made.row.id, detail: { ...createDetail(p, clientName), ...extra }, ip }, db);
    return made;
  });
  return { id: row.id, url: linkUrl(token), expiresAt: row.expiresAt.getTime() };
}

export async function createLink(input: CreateLinkValues, creator: Creator, ip: string | null, now = Date.now()) {
  const client = await serverClient(input.clientRef);
  const startLocation = input.startLocation ?? defaultStart(client);
  checkStart(client, startLocation);
  const params: LinkParameters = {
    kind: "new",
    connectionRef: null,
    clientRef: client.id,
    scopes: input.scopes,
    accessType: input.accessType,
    connectionName: input.name,
    expectedEmail: input.expectedEmail ?? null,
    startLocation,
    lifetimeMs: lifetimeToMs(input.lifetimeMinutes),
  };
  return make(params, client.name, creator, ip, {}, now);
}

/** Statuses only a new consent can cure: what a reconnect link is for. */
const NEEDS_CONSENT: ReadonlySet<StatusKind> = new Set(["needs_reauth", "online_expired", "revoked"]);

/**
 * A reconnect link keeps everything of its connection (client, scopes, name, access type) and
 * expects its Zoho user; its result replaces that connection's tokens in place.
 */
async function reconnectParameters(connectionId: number, lifetimeMs: number, now: number): Promise<{ params: LinkParameters; clientName: string }> {
  const conn = await loadConnection(connectionId);
  if (!conn) throw new UserError("This connection no longer exists.", "connectionId");
  const status = connectionStatus(factsOf(conn), now).kind;
  if (!NEEDS_CONSENT.has(status)) {
    throw new UserError(
      `This connection is ${STATUS_LABELS[status].toLowerCase()}: a reconnect link is for a connection that needs re-authorization.`,
      "connectionId",
    );
  }
  const client = await serverClient(conn.clientRef);
  const location = conn.location as DcLocation;
  const scopes = conn.scopesRequested.some((s) => s.toLowerCase() === PROFILE_SCOPE.toLowerCase()) ? conn.scopesRequested : [...conn.scopesRequested, PROFILE_SCOPE];
  const params: LinkParameters = {
    kind: "reconnect",
    connectionRef: conn.id,
    clientRef: client.id,
    scopes,
    accessType: conn.accessType,
    connectionName: conn.name,
    expectedEmail: conn.zohoEmail?.toLowerCase() ?? null,
    // The Zoho user's own data centre, where Zoho would send them anyway.
    startLocation: client.enabledDcs.includes(location) ? location : defaultStart(client),
    lifetimeMs,
  };
  return { params, clientName: client.name };
}

export async function createReconnectLink(input: ReconnectLinkValues, creator: Creator, ip: string | null, now = Date.now()) {
  const { params, clientName } = await reconnectParameters(input.connectionId, lifetimeToMs(input.lifetimeMinutes), now);
  return make(params, clientName, creator, ip, {}, now);
}

async function loadRow(id: number): Promise<ConnectLinkRow> {
  const [row] = await getDb().select().from(connectLinks).where(eq(connectLinks.id, id));
  if (!row) throw new UserError("This connect link no longer exists.");
  return row;
}

/** Ends an open link; its token stops working at once. */
export async function revokeLink(id: number, by: Creator, ip: string | null, now = Date.now(), reason = "revoked") {
  const row = await expireIfDue(await loadRow(id), now);
  const revoked = await tx(async (db) => {
    const [done] = await db
      .update(connectLinks)
      .set({ state: "revoked", stateReason: reason, revokedAt: new Date(now), revokedBy: by.id, updatedAt: new Date(now) })
      .where(and(eq(connectLinks.id, id), inArray(connectLinks.state, [...OPEN_STATES])))
      .returning();
    if (done) await auditLink({ actor: actorOf(by), step: "revoke", linkId: id, detail: { was: row.state, reason }, ip }, db);
    return done;
  });
  if (!revoked) throw new UserError(`This link is already ${LINK_STATE_LABELS[row.state].toLowerCase()}; there is nothing to revoke.`);
}

/**
 * A new link with the same parameters and lifetime; the old one, if still open, is revoked so
 * that only the newest token works. The old row stays in the list with its own story.
 */
export async function issueAgain(id: number, by: Creator, ip: string | null, now = Date.now()) {
  const old = await expireIfDue(await loadRow(id), now);
  const lifetimeMs = Math.min(Math.max(old.expiresAt.getTime() - old.createdAt.getTime(), lifetimeToMs(LINK_LIFETIME_MINUTES.min)), lifetimeToMs(LINK_LIFETIME_MINUTES.max));
  let params: LinkParameters;
  let clientName: string;
  if (old.kind === "reconnect" && old.connectionRef !== null) {
    ({ params, clientName } = await reconnectParameters(old.connectionRef, lifetimeMs, now));
  } else {
    const client = await serverClient(old.clientRef);
    checkStart(client, old.startLocation as DcLocation);
    clientName = client.name;
    params = {
      kind: "new",
      connectionRef: null,
      clientRef: old.clientRef,
      scopes: old.scopes,
      accessType: old.accessType,
      connectionName: old.connectionName,
      expectedEmail: old.expectedEmail,
      startLocation: old.startLocation as DcLocation,
      lifetimeMs,
    };
  }
  if (OPEN_STATES.some((s) => s === old.state)) await revokeLink(id, by, ip, now, "issued_again");
  return make(params, clientName, by, ip, { issuedAgainFrom: id }, now);
}
