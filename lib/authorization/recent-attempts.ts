import "server-only";
import { and, desc, eq, gt, isNull, notExists, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { getDb } from "@/db/client";
import { jsonField } from "@/db/dialect";
import { oauthAttempts, zohoClients } from "@/db/schema";
import type { AccessType } from "@/lib/zoho";
import { explainFlowFailure, isFlowFailure, parseLocation } from "./failures";
import { parseOutcome } from "./outcome";

/** How an authorization that did not (yet) make a connection stands. */
export type AttemptState = "pending" | "failed" | "expired" | "interrupted";

/** One of the user's own recent attempts, as the connections page lists it: no state, code or token. */
export interface RecentAttempt {
  id: number;
  clientRef: number;
  clientName: string;
  selfClient: boolean;
  connectionName: string;
  scopes: string[];
  accessType: AccessType;
  reconnectId: number | null;
  startedAt: number;
  expiresAt: number;
  state: AttemptState;
  /** What went wrong, in the result page's words. */
  reason: string;
}

export const RECENT_ATTEMPTS_LIMIT = 8;

const EXPIRED_REASON =
  "Never came back from Zoho: the window was closed, or Zoho showed an error page of its own (such as an invalid scope or redirect URI).";

function describe(state: AttemptState, outcome: ReturnType<typeof parseOutcome>): string {
  if (state === "pending") return "Waiting for Zoho's consent page to send the user back.";
  if (state === "expired") return EXPIRED_REASON;
  if (state === "interrupted" || outcome?.status !== "failed") return "Zoho answered, but no result was recorded.";
  if (outcome.zoho) return `${outcome.zoho.title}: ${outcome.zoho.message}`;
  const e = explainFlowFailure(isFlowFailure(outcome.code) ? outcome.code : "invalid_callback", {
    location: parseLocation(outcome.location),
    consentError: outcome.consentError,
  });
  return `${e.title}. ${e.message}`;
}

/**
 * The rows behind `recentUnfinishedAttempts`, as a query (its plan is checked in tests): read
 * through oauth_attempts_user (user_id, id), newest first, never by scanning the table.
 */
export function recentAttemptsQuery(userId: number, limit: number) {
  const a = oauthAttempts;
  const b = alias(oauthAttempts, "newer");
  const db = getDb();
  return db
    .select({
      id: a.id,
      clientRef: a.clientRef,
      clientName: zohoClients.name,
      clientType: zohoClients.clientType,
      connectionName: a.connectionName,
      scopes: a.scopes,
      accessType: a.accessType,
      reconnectId: a.reconnectId,
      createdAt: a.createdAt,
      expiresAt: a.expiresAt,
      usedAt: a.usedAt,
      outcome: a.outcome,
    })
    .from(a)
    .innerJoin(zohoClients, eq(zohoClients.id, a.clientRef))
    .where(
      and(
        eq(a.userId, userId),
        sql`coalesce(${jsonField(a.outcome, "status")}, '') <> 'connected'`,
        notExists(
          db
            .select({ one: sql`1` })
            .from(b)
            .where(
              and(
                gt(b.id, a.id),
                eq(b.userId, a.userId),
                eq(b.clientRef, a.clientRef),
                or(
                  eq(b.reconnectId, a.reconnectId),
                  and(isNull(a.reconnectId), isNull(b.reconnectId), eq(b.connectionName, a.connectionName)),
                ),
              ),
            ),
        ),
      ),
    )
    .orderBy(desc(a.id))
    .limit(limit);
}

/**
 * The user's latest authorizations that have not made a connection: still waiting at Zoho,
 * failed, or abandoned until they expired. An attempt drops off once the user starts another
 * for the same connection (same client and name, or the same connection to reconnect), so what
 * is listed is what is still unresolved. Newest first, at most `limit`, read from the newest end
 * of the user's own index; the table itself keeps only a week (see ATTEMPT_RETENTION_MS).
 */
export async function recentUnfinishedAttempts(userId: number, opts: { limit?: number; now?: number } = {}): Promise<RecentAttempt[]> {
  const now = opts.now ?? Date.now();
  const rows = await recentAttemptsQuery(userId, opts.limit ?? RECENT_ATTEMPTS_LIMIT);
  return rows.map((r) => {
    const outcome = parseOutcome(r.outcome);
    const state: AttemptState =
      outcome?.status === "failed" ? "failed" : r.usedAt ? "interrupted" : r.expiresAt.getTime() > now ? "pending" : "expired";
    return {
      id: r.id,
      clientRef: r.clientRef,
      clientName: r.clientName,
      selfClient: r.clientType === "self",
      connectionName: r.connectionName,
      scopes: r.scopes,
      accessType: r.accessType,
      reconnectId: r.reconnectId,
      startedAt: r.createdAt.getTime(),
      expiresAt: r.expiresAt.getTime(),
      state,
      reason: describe(state, outcome),
    };
  });
}
