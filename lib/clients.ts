import "server-only";
import { and, asc, count, eq, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { lockRows } from "@/db/dialect";
import { connections, zohoClients, type ZohoClientRow } from "@/db/schema";
import { ATTENTION_KINDS } from "@/lib/connection-status";
import { statusSql } from "@/lib/connections/status-sql";
import { DecryptionError } from "@/lib/crypto";
import { UserError } from "@/lib/errors";
import { decryptSecret, encryptSecret, secretPlace } from "@/lib/secrets";
import { enabledLocations, type DcLocation, type Realm } from "@/lib/zoho";

type ClientType = "server" | "self";

export interface ClientDto {
  id: number;
  name: string;
  realm: Realm;
  clientType: ClientType;
  clientId: string;
  /** "••••abcd": the only form in which a secret leaves the server. */
  secretMasked: string;
  secretUpdatedAt: string;
  homeDc: DcLocation;
  multiDc: boolean;
  /** Every DC the client works in, home DC first. */
  enabledDcs: DcLocation[];
  description: string;
  connectionCount: number;
  /** Connections that need someone: the Overview's "needs attention", counted the same way. */
  attentionCount: number;
  createdAt: string;
  updatedAt: string;
}

/** What the OAuth flow needs, secret included: never hand this to a component. */
export interface ClientCredentials {
  id: number;
  name: string;
  realm: Realm;
  clientType: ClientType;
  clientId: string;
  clientSecret: string;
  homeDc: DcLocation;
  multiDc: boolean;
  enabledDcs: DcLocation[];
}

const dcConfig = (row: ZohoClientRow) => ({
  realm: row.realm,
  homeDc: row.homeDc as DcLocation,
  multiDc: row.multiDc,
  enabledDcs: row.enabledDcs as DcLocation[],
  clientType: row.clientType,
});

function toDto(row: ZohoClientRow, counts?: { total: number; attention: number }): ClientDto {
  const home = row.homeDc as DcLocation;
  return {
    id: row.id,
    name: row.name,
    realm: row.realm,
    clientType: row.clientType,
    clientId: row.clientId,
    secretMasked: `••••${row.secretLast4}`,
    secretUpdatedAt: row.secretUpdatedAt.toISOString(),
    homeDc: home,
    multiDc: row.multiDc,
    enabledDcs: [home, ...enabledLocations(dcConfig(row)).filter((l) => l !== home)],
    description: row.description,
    connectionCount: counts?.total ?? 0,
    attentionCount: counts?.attention ?? 0,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const live = isNull(connections.revokedAt);

/**
 * Live connections per client and how many of them need attention: the status expression the
 * Overview counts with (lib/connections/status-sql.ts), so the two pages always agree.
 */
async function connectionCounts(clientIds?: number[], now = Date.now()): Promise<Map<number, { total: number; attention: number }>> {
  const attention = inArray(statusSql(now), [...ATTENTION_KINDS]);
  const where: SQL | undefined = clientIds ? and(live, inArray(connections.clientRef, clientIds)) : live;
  const rows = await getDb()
    .select({
      clientRef: connections.clientRef,
      total: count(),
      attention: sql<number>`sum(case when ${attention} then 1 else 0 end)`.mapWith(Number),
    })
    .from(connections)
    .where(where)
    .groupBy(connections.clientRef);
  return new Map(rows.map((r) => [r.clientRef, { total: r.total, attention: r.attention ?? 0 }]));
}

export async function listClients(): Promise<ClientDto[]> {
  const [counts, rows] = await Promise.all([connectionCounts(), getDb().select().from(zohoClients).orderBy(asc(zohoClients.name))]);
  return rows.map((r) => toDto(r, counts.get(r.id)));
}

/** Whether any Zoho client is registered: the overview leads with "Add a Zoho client" until one is. */
export async function hasAnyClient(): Promise<boolean> {
  return (await getDb().select({ id: zohoClients.id }).from(zohoClients).limit(1)).length > 0;
}

async function clientRow(id: number): Promise<ZohoClientRow | undefined> {
  const [row] = await getDb().select().from(zohoClients).where(eq(zohoClients.id, id));
  return row;
}

export async function getClient(id: number): Promise<ClientDto | undefined> {
  const row = await clientRow(id);
  return row ? toDto(row, (await connectionCounts([id])).get(id)) : undefined;
}

/** What a page or flow needs to name a connection's client and reach its realm: no counts, no secret. */
export async function clientFacts(id: number): Promise<Pick<ZohoClientRow, "id" | "name" | "realm" | "clientType"> | undefined> {
  const [row] = await getDb()
    .select({ id: zohoClients.id, name: zohoClients.name, realm: zohoClients.realm, clientType: zohoClients.clientType })
    .from(zohoClients)
    .where(eq(zohoClients.id, id));
  return row;
}

/**
 * The stored client secret cannot be decrypted: its key is not configured, or the value was not
 * written for this client (secrets are bound to their row). Fixed by entering the secret again.
 */
export class ClientSecretUnreadable extends UserError {
  constructor(
    readonly clientRef: number,
    readonly stored: string,
  ) {
    super(
      "The stored secret of this Zoho client cannot be read: its encryption key is not configured, or the stored value does not belong to this client. Nothing was sent to Zoho. Enter the client secret again on the client's page.",
      "clientRef",
    );
    this.name = "ClientSecretUnreadable";
  }
}

/** The client with its secret in clear; a secret that cannot be read is a `ClientSecretUnreadable`. */
export async function getClientCredentials(id: number): Promise<ClientCredentials | undefined> {
  const row = await clientRow(id);
  if (!row) return undefined;
  const { name, realm, clientType, clientId, homeDc, multiDc, enabledDcs } = toDto(row);
  let clientSecret: string;
  try {
    clientSecret = decryptSecret(row.secretEnc, secretPlace.clientSecret(row.id));
  } catch (e) {
    if (e instanceof DecryptionError) throw new ClientSecretUnreadable(row.id, row.secretEnc);
    throw e;
  }
  return { id: row.id, name, realm, clientType, clientId, clientSecret, homeDc, multiDc, enabledDcs };
}

interface ClientInput {
  name: string;
  realm: Realm;
  clientType: ClientType;
  clientId: string;
  /** Required on create; on update an empty value keeps the stored secret. */
  clientSecret?: string;
  homeDc: DcLocation;
  multiDc: boolean;
  enabledDcs: DcLocation[];
  description: string;
}

async function assertUnique(input: ClientInput, exceptId?: number) {
  const db = getDb();
  const notSelf = exceptId ? ne(zohoClients.id, exceptId) : undefined;
  const [sameName] = await db.select({ id: zohoClients.id, name: zohoClients.name }).from(zohoClients).where(and(eq(zohoClients.name, input.name), notSelf));
  if (sameName) {
    throw new UserError("Another client already has this name.", "name", { href: `/clients/${sameName.id}`, label: `Open the client “${sameName.name}”` });
  }
  const sameId = and(eq(zohoClients.realm, input.realm), eq(zohoClients.clientId, input.clientId), notSelf);
  const [existing] = await db.select({ id: zohoClients.id, name: zohoClients.name }).from(zohoClients).where(sameId);
  if (existing) {
    throw new UserError(`This client id is already registered here as “${existing.name}”.`, "clientId", {
      href: `/clients/${existing.id}`,
      label: `Open the client “${existing.name}”`,
    });
  }
}

// A self client cannot be multi-DC (Zoho's rule); extra DCs only count with multi-DC on.
const dcColumns = (input: ClientInput) => {
  const multi = input.clientType === "server" && input.multiDc;
  return { homeDc: input.homeDc, multiDc: multi, enabledDcs: multi ? input.enabledDcs.filter((d) => d !== input.homeDc) : [] };
};

export async function createClient(input: ClientInput, userId: number): Promise<ClientDto> {
  if (!input.clientSecret) throw new UserError("Paste the client secret from Zoho's API console.", "clientSecret");
  await assertUnique(input);
  const secret = input.clientSecret;
  // The ciphertext is bound to the row id, known only after the insert: both in one transaction,
  // so no one ever sees the row without its secret.
  const row = await tx(async (db) => {
    const [{ id }] = await db
      .insert(zohoClients)
      .values({
        name: input.name,
        realm: input.realm,
        clientType: input.clientType,
        clientId: input.clientId,
        secretEnc: "",
        secretLast4: secret.slice(-4),
        secretUpdatedAt: new Date(),
        description: input.description,
        createdBy: userId,
        ...dcColumns(input),
      })
      .returning({ id: zohoClients.id });
    const [sealed] = await db
      .update(zohoClients)
      .set({ secretEnc: encryptSecret(secret, secretPlace.clientSecret(id)) })
      .where(eq(zohoClients.id, id))
      .returning();
    return sealed;
  });
  return toDto(row);
}

export async function updateClient(
  id: number,
  input: ClientInput,
): Promise<{ client: ClientDto; secretReplaced: boolean; changed: string[]; before: Record<string, unknown>; after: Record<string, unknown> }> {
  // Checked and written in one transaction with the client locked: a connection stored for it
  // meanwhile (which takes the client's key lock first, lib/authorization/persist.ts) waits or is seen.
  return tx(async (db) => {
    await lockRows(db, zohoClients, eq(zohoClients.id, id));
    const before = await clientRow(id);
    if (!before) throw new UserError("This client no longer exists.");
    await assertUnique(input, id);
    // Live connections hold tokens of this client id in this realm; changing either would send
    // those tokens and the secret to the wrong place.
    const identityChanged = before.realm !== input.realm || before.clientId !== input.clientId || before.clientType !== input.clientType;
    const liveCount = (await connectionCounts([id])).get(id)?.total ?? 0;
    if (identityChanged && liveCount > 0) {
      throw new UserError(
        `The realm, client id and type cannot change while ${liveCount} live connection${liveCount === 1 ? " uses" : "s use"} this client. Revoke ${liveCount === 1 ? "it" : "them"} first, or register a new client.`,
      );
    }
    const dcs = dcColumns(input);
    const secretReplaced = !!input.clientSecret;
    const next = {
      name: input.name,
      realm: input.realm,
      clientType: input.clientType,
      clientId: input.clientId,
      description: input.description,
      ...dcs,
      updatedAt: new Date(),
      ...(secretReplaced
        ? { secretEnc: encryptSecret(input.clientSecret!, secretPlace.clientSecret(id)), secretLast4: input.clientSecret!.slice(-4), secretUpdatedAt: new Date() }
        : {}),
    };
    const changed: string[] = (["name", "realm", "clientType", "clientId", "description", "homeDc", "multiDc"] as const).filter(
      (k) => before[k] !== next[k],
    );
    if (JSON.stringify(before.enabledDcs) !== JSON.stringify(dcs.enabledDcs)) changed.push("enabledDcs");
    const [row] = await db.update(zohoClients).set(next).where(eq(zohoClients.id, id)).returning();
    // The changed fields' old and new values, for the audit row's before/after (never the secret;
    // a long description is cut, the trail is not its archive).
    const shown = (v: unknown) => (typeof v === "string" && v.length > 200 ? `${v.slice(0, 199)}…` : (v ?? null));
    const pick = (from: Record<string, unknown>) => Object.fromEntries(changed.map((k) => [k, shown(from[k])]));
    return { client: toDto(row, (await connectionCounts([id])).get(id)), secretReplaced, changed, before: pick(before), after: pick(next) };
  });
}

export async function deleteClient(id: number): Promise<ClientDto> {
  return tx(async (db) => {
    // Locked first: a connection authorized for it meanwhile would otherwise slip in unseen.
    await lockRows(db, zohoClients, eq(zohoClients.id, id));
    const [row] = await db.select().from(zohoClients).where(eq(zohoClients.id, id));
    if (!row) throw new UserError("This client no longer exists.");
    const [counted] = await db.select({ n: count() }).from(connections).where(and(eq(connections.clientRef, id), live));
    const liveCount = counted?.n ?? 0;
    if (liveCount > 0) {
      throw new UserError(
        `This client still has ${liveCount} live connection${liveCount === 1 ? "" : "s"}. Revoke ${liveCount === 1 ? "it" : "them"} first, then delete the client.`,
      );
    }
    // Revoked connections keep their history in the audit trail; their rows go with the client.
    await db.delete(connections).where(eq(connections.clientRef, id));
    await db.delete(zohoClients).where(eq(zohoClients.id, id));
    return toDto(row);
  });
}
