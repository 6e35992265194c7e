import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNotNull, isNull, lt } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { oauthAttempts, type OauthAttemptRow } from "@/db/schema";
import type { AccessType } from "@/lib/zoho";
import type { FlowFailure } from "./failures";
import { parseOutcome, type ConnectOutcome } from "./outcome";

/** Long enough to sign in, pick an org and read the consent page; short enough to be useless later. */
const ATTEMPT_TTL_MS = 10 * 60 * 1000;

/** 32 random bytes, base64url: 43 characters, within the callback's state grammar. */
const newState = () => randomBytes(32).toString("base64url");
export const hashState = (state: string) => createHash("sha256").update(state, "utf8").digest("hex");

interface NewAttempt {
  userId: number;
  clientRef: number;
  scopes: string[];
  accessType: AccessType;
  connectionName: string;
  reconnectId?: number | null;
  /** A connect link's attempt: its link and the hash of the nonce its browser holds. */
  linkRef?: number | null;
  linkNonceHash?: string | null;
}

/** Result pages read an attempt for a while after it ends; the audit trail keeps the history. */
export const ATTEMPT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

async function insertAttempt(input: NewAttempt, state: string, expiresAt: Date, usedAt: Date | null): Promise<OauthAttemptRow> {
  const [row] = await getDb()
    .insert(oauthAttempts)
    .values({
      stateHash: hashState(state),
      userId: input.userId,
      clientRef: input.clientRef,
      scopes: input.scopes,
      accessType: input.accessType,
      connectionName: input.connectionName,
      reconnectId: input.reconnectId ?? null,
      linkRef: input.linkRef ?? null,
      linkNonceHash: input.linkNonceHash ?? null,
      expiresAt,
      usedAt,
    })
    .returning();
  return row;
}

/** Records an attempt and returns the state to send to Zoho; only its hash is stored. */
export async function createAttempt(input: NewAttempt, now = Date.now()): Promise<{ state: string; attempt: OauthAttemptRow }> {
  await getDb().delete(oauthAttempts).where(lt(oauthAttempts.expiresAt, new Date(now - ATTEMPT_RETENTION_MS)));
  const state = newState();
  return { state, attempt: await insertAttempt(input, state, new Date(now + ATTEMPT_TTL_MS), null) };
}

/** An attempt that never meets a browser (self-client codes): used at once, kept for its outcome. */
export async function recordUsedAttempt(input: NewAttempt, now = Date.now()): Promise<OauthAttemptRow> {
  return insertAttempt(input, newState(), new Date(now), new Date(now));
}

type ClaimResult = { ok: true; attempt: OauthAttemptRow } | { ok: false; failure: FlowFailure; attemptId?: number };

/**
 * Checks the state and marks the attempt used in one transaction, before any code is exchanged:
 * a replayed or concurrent callback finds it used and is refused (the conditional UPDATE lets one
 * of two racing callbacks through, on either engine). An expired attempt or one presented in
 * another user's session is burnt too, since its code is now suspect.
 */
export async function claimAttempt(state: string, userId: number, now = Date.now()): Promise<ClaimResult> {
  return tx(async (db): Promise<ClaimResult> => {
    const [row] = await db.select().from(oauthAttempts).where(eq(oauthAttempts.stateHash, hashState(state)));
    if (!row) return { ok: false, failure: "unknown_state" };
    if (row.usedAt) return { ok: false, failure: "used_state", attemptId: row.id };
    // A connect link's attempt belongs to the browser holding its nonce, never to a console
    // session, not even its creator's: it completes only through the link's own checks.
    const failure: FlowFailure | undefined =
      row.expiresAt.getTime() <= now ? "expired_state" : row.userId !== userId || row.linkRef !== null ? "other_user" : undefined;
    const [claimed] = await db
      .update(oauthAttempts)
      .set({ usedAt: new Date(now), outcome: failure ? JSON.stringify({ status: "failed", code: failure }) : null })
      .where(and(eq(oauthAttempts.id, row.id), isNull(oauthAttempts.usedAt)))
      .returning();
    if (!claimed) return { ok: false, failure: "used_state", attemptId: row.id };
    return failure ? { ok: false, failure, attemptId: row.id } : { ok: true, attempt: claimed };
  });
}

/** The connect link's attempt a state names, if it names one; reads only. */
export async function findLinkAttempt(state: string): Promise<OauthAttemptRow | undefined> {
  const [row] = await getDb()
    .select()
    .from(oauthAttempts)
    .where(and(eq(oauthAttempts.stateHash, hashState(state)), isNotNull(oauthAttempts.linkRef)));
  return row;
}

/**
 * Marks a link attempt used, once: of two racing callbacks one gets the row, the other nothing.
 * `failure` is saved as its outcome at once when the attempt is refused while being claimed.
 */
export async function claimLinkAttempt(attemptId: number, failure: FlowFailure | null, now = Date.now()): Promise<OauthAttemptRow | undefined> {
  const [claimed] = await getDb()
    .update(oauthAttempts)
    .set({ usedAt: new Date(now), outcome: failure ? JSON.stringify({ status: "failed", code: failure }) : null })
    .where(and(eq(oauthAttempts.id, attemptId), isNull(oauthAttempts.usedAt)))
    .returning();
  return claimed;
}

export async function saveOutcome(attemptId: number, outcome: ConnectOutcome) {
  await getDb().update(oauthAttempts).set({ outcome: JSON.stringify(outcome) }).where(eq(oauthAttempts.id, attemptId));
}

/** The attempt and its outcome, for the user who started it only. */
export async function attemptForUser(attemptId: number, userId: number): Promise<{ attempt: OauthAttemptRow; outcome: ConnectOutcome | null } | undefined> {
  const [attempt] = await getDb()
    .select()
    .from(oauthAttempts)
    .where(and(eq(oauthAttempts.id, attemptId), eq(oauthAttempts.userId, userId)));
  return attempt ? { attempt, outcome: parseOutcome(attempt.outcome) } : undefined;
}
