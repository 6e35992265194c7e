import "server-only";
import { and, asc, count, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { connections } from "@/db/schema";
import { pickEvictions, REFRESH_TOKEN_CAP } from "./budget-rules";

export { BUDGET_WARN_AT, REFRESH_TOKEN_CAP, budgetLevel, pickEvictions } from "./budget-rules";

/** A connection whose refresh token still works as far as the console knows. */
const liveRefreshToken = and(
  isNotNull(connections.refreshTokenEnc),
  isNull(connections.revokedAt),
  isNull(connections.reauthReason),
);

export async function liveRefreshTokenCount(clientRef: number, zuid: string, db: Db = getDb()): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(connections)
    .where(and(eq(connections.clientRef, clientRef), eq(connections.zuid, zuid), liveRefreshToken));
  return row?.n ?? 0;
}

export interface BudgetUse {
  zuid: string;
  zohoEmail: string | null;
  used: number;
}

/** Per Zoho user of a client: how many of Zoho's 20 refresh tokens our connections hold. */
export async function budgetUseForClient(clientRef: number): Promise<BudgetUse[]> {
  const rows = await getDb()
    .select({ zuid: connections.zuid, zohoEmail: sql<string | null>`max(${connections.zohoEmail})`, used: count() })
    .from(connections)
    .where(and(eq(connections.clientRef, clientRef), isNotNull(connections.zuid), liveRefreshToken))
    .groupBy(connections.zuid)
    .orderBy(sql`count(*) desc`, connections.zuid);
  return rows.map((r) => ({ zuid: r.zuid!, zohoEmail: r.zohoEmail, used: r.used }));
}

/** A Zoho user of a client close to Zoho's 20 refresh tokens, and the connection that goes first. */
export interface EvictionRisk {
  zuid: string;
  zohoEmail: string | null;
  used: number;
  /** The connection whose refresh token Zoho drops when this user consents once more at 20 of 20. */
  oldest: { id: number; name: string };
}

/** The oldest live connection of one Zoho user and client: the one Zoho drops first. */
async function oldestLive(clientRef: number, zuid: string): Promise<{ id: number; name: string } | undefined> {
  const [row] = await getDb()
    .select({ id: connections.id, name: connections.name })
    .from(connections)
    .where(liveTokensOf(clientRef, zuid))
    .orderBy(asc(connections.refreshTokenIssuedAt), asc(connections.id))
    .limit(1);
  return row;
}

/**
 * Before a new consent through a client: each Zoho user at 19 or 20 of 20 (who consents is known
 * only afterwards), with the connection a consent by that user would cost — now at 20, next at 19.
 */
export async function evictionRisks(clientRef: number, budget?: BudgetUse[]): Promise<EvictionRisk[]> {
  const near = (budget ?? (await budgetUseForClient(clientRef))).filter((b) => b.used >= REFRESH_TOKEN_CAP - 1);
  const risks: EvictionRisk[] = [];
  for (const b of near) {
    const oldest = await oldestLive(clientRef, b.zuid);
    if (oldest) risks.push({ ...b, oldest });
  }
  return risks;
}

/**
 * Before a reconnect (the Zoho user is known): the connections Zoho drops when it issues this
 * user one more refresh token. The connection being reconnected is never among them — its own
 * old token going is the point of a reconnect.
 */
export async function reconnectEvictions(conn: { id: number; clientRef: number; zuid: string | null }): Promise<{ id: number; name: string }[]> {
  if (!conn.zuid) return [];
  const live = await getDb()
    .select({ id: connections.id, name: connections.name, issuedAt: connections.refreshTokenIssuedAt })
    .from(connections)
    .where(liveTokensOf(conn.clientRef, conn.zuid))
    .orderBy(asc(connections.refreshTokenIssuedAt), asc(connections.id));
  const ids = pickEvictions(live.map((c) => ({ id: c.id, issuedAt: c.issuedAt?.getTime() ?? 0 })), REFRESH_TOKEN_CAP).filter((id) => id !== conn.id);
  return live.filter((c) => ids.includes(c.id)).map(({ id, name }) => ({ id, name }));
}

/** The connections of one Zoho user and client whose refresh tokens still count against Zoho's 20. */
export const liveTokensOf = (clientRef: number, zuid: string) => and(eq(connections.clientRef, clientRef), eq(connections.zuid, zuid), liveRefreshToken);

/**
 * Called inside the transaction that stores a new refresh token for (client, zuid), which has
 * locked these rows (lib/authorization/persist.ts). Zoho keeps 20
 * and silently deletes the oldest for the 21st, so the console marks the same connections
 * "evicted" instead of letting them fail later with a bare invalid_code. The connection being
 * reconnected still holds its old token at that moment: it counts, but is never marked.
 */
export async function markEvictions(
  db: Db,
  clientRef: number,
  zuid: string,
  opts: { reconnectingId?: number; now: Date },
): Promise<{ id: number; name: string }[]> {
  const mine = liveTokensOf(clientRef, zuid);
  const live = await db
    .select({ id: connections.id, name: connections.name, issuedAt: connections.refreshTokenIssuedAt })
    .from(connections)
    .where(mine)
    .orderBy(asc(connections.refreshTokenIssuedAt), asc(connections.id));
  const ids = pickEvictions(
    live.map((c) => ({ id: c.id, issuedAt: c.issuedAt?.getTime() ?? 0 })),
    REFRESH_TOKEN_CAP,
  ).filter((id) => id !== opts.reconnectingId);
  if (ids.length === 0) return [];
  await db.update(connections).set({ reauthReason: "evicted", reauthAt: opts.now, updatedAt: opts.now }).where(inArray(connections.id, ids));
  return live.filter((c) => ids.includes(c.id)).map(({ id, name }) => ({ id, name }));
}
