import "server-only";
import { and, eq, gte, isNull, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections, refreshTokenLives } from "@/db/schema";
import type { RefreshTokenHistoryDto } from "@/lib/charts/types";
import { REFRESH_TOKEN_CAP } from "@/lib/zoho/limits";

const HISTORY_DAYS = 30;
/** Lines beyond this many users stop being readable; the fullest users are drawn. */
const HISTORY_USERS = 8;

interface Life {
  zuid: string;
  issuedAt: number;
  endedAt: number | null;
}

/**
 * Step series of live refresh tokens per Zoho user: the count at `since`, then a point at every
 * issue or end. Pure, so the arithmetic is tested without a database.
 */
export function stepSeries(lives: Life[], since: number, zuids: string[]): RefreshTokenHistoryDto["points"] {
  const counts: Record<string, number> = Object.fromEntries(zuids.map((z) => [z, 0]));
  const changes: { at: number; zuid: string; delta: number }[] = [];
  for (const l of lives) {
    if (!(l.zuid in counts)) continue;
    if (l.endedAt !== null && l.endedAt <= since) continue;
    if (l.issuedAt <= since) counts[l.zuid] += 1;
    else changes.push({ at: l.issuedAt, zuid: l.zuid, delta: 1 });
    if (l.endedAt !== null) changes.push({ at: l.endedAt, zuid: l.zuid, delta: -1 });
  }
  changes.sort((a, b) => a.at - b.at || a.delta - b.delta);
  const points = [{ at: since, counts: { ...counts } }];
  for (const c of changes) {
    counts[c.zuid] += c.delta;
    const last = points.at(-1)!;
    if (last.at === c.at) last.counts = { ...counts };
    else points.push({ at: c.at, counts: { ...counts } });
  }
  return points;
}

/** The client's refresh tokens per Zoho user over the last 30 days, against Zoho's cap. */
export async function refreshTokenHistory(clientRef: number, now = Date.now()): Promise<RefreshTokenHistoryDto> {
  const since = now - HISTORY_DAYS * 86_400_000;
  const r = refreshTokenLives;
  const rows = await getDb()
    .select({ zuid: r.zuid, issuedAt: r.issuedAt, endedAt: r.endedAt, endReason: r.endReason, email: connections.zohoEmail, name: connections.name })
    .from(r)
    .innerJoin(connections, eq(connections.id, r.connectionId))
    .where(and(eq(r.clientRef, clientRef), or(isNull(r.endedAt), gte(r.endedAt, new Date(since)))));
  const lives = rows
    .filter((x) => x.zuid)
    .map((x) => ({ zuid: x.zuid!, issuedAt: x.issuedAt.getTime(), endedAt: x.endedAt?.getTime() ?? null }));
  const labels = new Map<string, string>();
  for (const x of rows) if (x.zuid && x.email) labels.set(x.zuid, x.email);
  const live = new Map<string, number>();
  for (const l of lives) if (l.endedAt === null) live.set(l.zuid, (live.get(l.zuid) ?? 0) + 1);
  const zuids = [...new Set(lives.map((l) => l.zuid))]
    .sort((a, b) => (live.get(b) ?? 0) - (live.get(a) ?? 0) || a.localeCompare(b))
    .slice(0, HISTORY_USERS);
  const label = (z: string) => labels.get(z) ?? `ZUID ${z}`;
  return {
    generatedAt: now,
    since,
    cap: REFRESH_TOKEN_CAP,
    users: zuids.map((zuid) => ({ zuid, label: label(zuid) })),
    points: stepSeries(lives, since, zuids),
    evictions: rows
      .filter((x) => x.endReason === "evicted" && x.endedAt && x.zuid)
      .map((x) => ({ at: x.endedAt!.getTime(), zuid: x.zuid!, label: label(x.zuid!), connectionName: x.name }))
      .sort((a, b) => a.at - b.at),
  };
}
