import "server-only";
import { and, count, desc, eq, gte, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditEvents, tokenMints } from "@/db/schema";
import type { MarkerKind, TimelineMarker, TokenTimelineDto } from "@/lib/charts/types";

/** More bars than this stop being readable; the table and the audit page hold the rest. */
const TIMELINE_LIVES = 48;

const MARKER_ACTIONS = ["connection.refresh", "connection.evicted", "connection.revoke", "connection.needs_reauth", "connection.bind"];

/** What an audit event means on the timeline, or null when it is not a marker. */
function markerOf(action: string, outcome: string, detail: Record<string, unknown> | null): { kind: MarkerKind; label: string } | null {
  const d = detail ?? {};
  switch (action) {
    case "connection.refresh": {
      // A role refusal never reached the token; only real failures mark the timeline.
      if (outcome !== "failure") return null;
      const kind = String(d.errorKind ?? d.refused ?? "error");
      // Zoho refusing the refresh token has a marker of its own (connection.needs_reauth).
      if (kind === "invalid_code" && !d.discarded) return null;
      if (kind === "throttled" || kind === "rate_limited") return { kind: "throttled", label: `Refresh throttled (${kind === "throttled" ? "by Zoho" : "local limit"})` };
      if (d.discarded) return { kind: "refresh_failed", label: "Refresh discarded (re-authorized meanwhile)" };
      return { kind: "refresh_failed", label: `Refresh failed: ${kind}` };
    }
    case "connection.evicted":
      return { kind: "evicted", label: "Refresh token evicted by a newer one" };
    case "connection.revoke":
      return outcome === "success" ? { kind: "revoked", label: "Revoked" } : { kind: "refresh_failed", label: `Revoke failed: ${String(d.errorKind ?? "see audit")}` };
    case "connection.needs_reauth":
      return { kind: "reauth", label: `Zoho refused the refresh token (${String(d.reason ?? "invalid_code")})` };
    case "connection.bind":
      return outcome === "success" ? { kind: "binding", label: "Organisation binding changed" } : null;
    default:
      return null;
  }
}

/** The connection's latest access-token lives and the events that mark them. */
export async function tokenTimeline(connectionId: number, now = Date.now()): Promise<TokenTimelineDto> {
  const db = getDb();
  const m = tokenMints;
  const [counted] = await db.select({ n: count() }).from(m).where(eq(m.connectionId, connectionId));
  const total = counted?.n ?? 0;
  const rows = (await db.select().from(m).where(eq(m.connectionId, connectionId)).orderBy(desc(m.at), desc(m.id)).limit(TIMELINE_LIVES)).reverse();
  const lives = rows.map((r) => ({
    id: r.id,
    via: r.via,
    mintedAt: r.at.getTime(),
    expiresAt: r.expiresAt?.getTime() ?? null,
    endedAt: r.endedAt?.getTime() ?? null,
    endReason: r.endReason,
    last4: r.tokenLast4,
  }));
  const from = lives[0]?.mintedAt;
  const markers: TimelineMarker[] = [];
  if (from !== undefined) {
    const a = auditEvents;
    const events = await db
      .select({ id: a.id, at: a.at, action: a.action, outcome: a.outcome, detail: a.detail, actor: a.actorLabel })
      .from(a)
      .where(and(eq(a.targetType, "connection"), eq(a.targetId, String(connectionId)), gte(a.at, new Date(from)), inArray(a.action, MARKER_ACTIONS)))
      .orderBy(desc(a.at))
      .limit(200);
    for (const e of events.reverse()) {
      const mark = markerOf(e.action, e.outcome, e.detail ?? null);
      if (mark) markers.push({ id: e.id, at: e.at.getTime(), actor: e.actor, ...mark });
    }
  }
  return { generatedAt: now, lives, total, markers };
}
