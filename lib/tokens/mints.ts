import "server-only";
import { and, eq, gt, gte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { tokenMints, type ConnectionRow } from "@/db/schema";
import { MINT_WINDOW_MS, mintBudget, type MintBudget } from "./mint-window";

/**
 * Refresh mints of the connection's current refresh token inside the trailing window. Only
 * refresh-grant mints count: Zoho's ten-per-ten-minutes limit is on refreshes.
 */
export async function recentRefreshMints(row: Pick<ConnectionRow, "id" | "refreshTokenIssuedAt">, now = Date.now()): Promise<number[]> {
  const since = Math.max(now - MINT_WINDOW_MS, row.refreshTokenIssuedAt?.getTime() ?? 0);
  const rows = await getDb()
    .select({ at: tokenMints.at })
    .from(tokenMints)
    .where(and(eq(tokenMints.connectionId, row.id), eq(tokenMints.grantType, "refresh_token"), gt(tokenMints.at, new Date(now - MINT_WINDOW_MS)), gte(tokenMints.at, new Date(since))));
  return rows.map((r) => r.at.getTime());
}

export async function refreshBudget(row: Pick<ConnectionRow, "id" | "refreshTokenIssuedAt">, now = Date.now()): Promise<MintBudget> {
  return mintBudget(await recentRefreshMints(row, now), now);
}
