import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { refreshTokenLives, tokenMints, type MintVia } from "@/db/schema";

// Every access token's life (mint → end) and every refresh token's, kept next to the writes that
// make and end them, so the token timeline and the refresh-token budget chart show what
// happened rather than what can be guessed later.

/** Why a token stopped being the connection's: the timeline's words for it. */
export type EndReason = "replaced" | "expired" | "revoked" | "evicted" | "invalid_code" | "secret_changed" | "discarded" | "rejected";

type Handle = Db;

/**
 * Ends the connection's open access-token lives at `at`. A token that had already expired by
 * then ended at its expiry, as "expired", whatever ended the connection's use of it.
 */
async function endAccessLives(db: Handle, connectionId: number, reason: EndReason, at: number) {
  const m = tokenMints;
  await db
    .update(m)
    .set({
      endedAt: sql`CASE WHEN ${m.expiresAt} IS NOT NULL AND ${m.expiresAt} < ${at} THEN ${m.expiresAt} ELSE ${at} END`,
      endReason: sql`CASE WHEN ${m.expiresAt} IS NOT NULL AND ${m.expiresAt} < ${at} THEN 'expired' ELSE ${reason} END`,
    })
    .where(and(eq(m.connectionId, connectionId), isNull(m.endedAt)));
}

/** Zoho refused the connection's current access token before its expiry: its life ends now. */
export async function endCurrentAccessLife(db: Handle, connectionId: number, reason: EndReason, at: number) {
  await endAccessLives(db, connectionId, reason, at);
}

interface MintInput {
  connectionId: number;
  grantType: "authorization_code" | "refresh_token";
  via: MintVia;
  at: number;
  expiresAt: number;
  accessToken: string;
}

/** A new access token became the connection's current one: the previous one is replaced. */
export async function startAccessLife(db: Handle, input: MintInput) {
  await endAccessLives(db, input.connectionId, "replaced", input.at);
  await db.insert(tokenMints).values(mintValues(input));
}

/**
 * A token that was minted but never stored (a reconnect won the race): Zoho counted the mint,
 * so it is recorded, already ended.
 */
export async function recordDiscardedMint(db: Handle, input: MintInput) {
  await db.insert(tokenMints).values({ ...mintValues(input), endedAt: new Date(input.at), endReason: "discarded" });
}

const mintValues = (i: MintInput) => ({
  connectionId: i.connectionId,
  grantType: i.grantType,
  via: i.via,
  at: new Date(i.at),
  expiresAt: new Date(i.expiresAt),
  tokenLast4: i.accessToken.slice(-4),
});

/** A new refresh token for the connection; its previous one (a reconnect) is replaced. */
export async function startRefreshLife(db: Handle, input: { connectionId: number; clientRef: number; zuid: string | null; at: number }) {
  await endRefreshLives(db, [input.connectionId], "replaced", input.at);
  await db
    .insert(refreshTokenLives)
    .values({ connectionId: input.connectionId, clientRef: input.clientRef, zuid: input.zuid, issuedAt: new Date(input.at) });
}

async function endRefreshLives(db: Handle, connectionIds: number[], reason: EndReason, at: number) {
  if (connectionIds.length === 0) return;
  await db
    .update(refreshTokenLives)
    .set({ endedAt: new Date(at), endReason: reason })
    .where(and(inArray(refreshTokenLives.connectionId, connectionIds), isNull(refreshTokenLives.endedAt)));
}

/** Both tokens of the connection stopped working for the same reason (revoke, eviction, Zoho's refusal). */
export async function endAllLives(connectionIds: number[], reason: EndReason, at: number, db: Handle = getDb()) {
  for (const id of connectionIds) await endAccessLives(db, id, reason, at);
  await endRefreshLives(db, connectionIds, reason, at);
}
