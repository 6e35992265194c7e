// What the audit charts draw. Computed on the server (lib/audit/activity.ts,
// lib/tokens/timeline.ts, lib/tokens/refresh-token-history.ts), drawn in the browser
// (components/charts/). Pure types and helpers, no secrets: a token appears by its last four only.

export const REFRESH_TRIGGERS = ["background", "manual", "api"] as const;
export type RefreshTriggerName = (typeof REFRESH_TRIGGERS)[number];

/** Refresh attempts in one UTC hour, by trigger and outcome. */
export interface ActivityBucket {
  /** Start of the hour, epoch ms. */
  hour: number;
  trigger: RefreshTriggerName | "other";
  outcome: "success" | "failure";
  count: number;
}

/** One trigger and outcome: a count for every hour from the DTO's `since`, oldest first. */
export interface ActivitySeries {
  trigger: RefreshTriggerName | "other";
  outcome: "success" | "failure";
  counts: number[];
}

/**
 * The last 30 days of refresh attempts per UTC hour; the browser groups them into its own days.
 * Dense arrays of plain numbers, one per trigger and outcome that had any attempt, rather than
 * an object per bucket: the page carries 720 numbers per series instead of thousands of keyed
 * objects (this data is inlined into the overview's HTML).
 */
export interface RefreshActivityDto {
  generatedAt: number;
  /** The first hour's start, epoch ms (a whole UTC hour). */
  since: number;
  series: ActivitySeries[];
}

const HOUR_MS = 3_600_000;

/** Dense series from hourly buckets; hours outside [since, since + hours) are left out. */
export function activitySeries(buckets: ActivityBucket[], since: number, hours: number): ActivitySeries[] {
  const series = new Map<string, ActivitySeries>();
  for (const b of buckets) {
    const i = Math.floor((b.hour - since) / HOUR_MS);
    if (i < 0 || i >= hours || b.count === 0) continue;
    const key = `${b.trigger}/${b.outcome}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = { trigger: b.trigger, outcome: b.outcome, counts: new Array<number>(hours).fill(0) }));
    s.counts[i] += b.count;
  }
  return [...series.values()];
}

/** The hourly buckets back from dense series, skipping quiet hours. */
export function activityBuckets(dto: Pick<RefreshActivityDto, "since" | "series">): ActivityBucket[] {
  const buckets: ActivityBucket[] = [];
  for (const s of dto.series) {
    s.counts.forEach((count, i) => {
      if (count > 0) buckets.push({ hour: dto.since + i * HOUR_MS, trigger: s.trigger, outcome: s.outcome, count });
    });
  }
  return buckets;
}

import type { MintVia } from "@/db/enums";

export type { MintVia };

export interface TokenLifeDto {
  id: number;
  via: MintVia | null;
  mintedAt: number;
  /** When Zoho said it would expire; null for lives recorded before expiries were kept. */
  expiresAt: number | null;
  /** When it stopped being the connection's token; null while it is the current one. */
  endedAt: number | null;
  /** replaced, expired, revoked, evicted, invalid_code, secret_changed, discarded; null while current. */
  endReason: string | null;
  last4: string | null;
}

export type MarkerKind = "refresh_failed" | "throttled" | "evicted" | "revoked" | "reauth" | "binding";

export interface TimelineMarker {
  id: number;
  at: number;
  kind: MarkerKind;
  /** Short words for the tooltip: "Refresh failed: network". */
  label: string;
  actor: string;
}

export interface TokenTimelineDto {
  generatedAt: number;
  /** Oldest first; at most `shownLimit` of `total`. */
  lives: TokenLifeDto[];
  total: number;
  markers: TimelineMarker[];
}

/** Live refresh tokens per Zoho user of one client over time, against Zoho's cap. */
export interface RefreshTokenHistoryDto {
  generatedAt: number;
  since: number;
  cap: number;
  users: { zuid: string; label: string }[];
  /** Step points: from `at` on, each user (by zuid) held `counts[zuid]` live refresh tokens. */
  points: { at: number; counts: Record<string, number> }[];
  evictions: { at: number; zuid: string; label: string; connectionName: string }[];
}

const VIA_LABELS: Record<MintVia, string> = {
  authorize: "Authorization",
  reconnect: "Reconnect",
  self_client: "Self-client code",
  background: "Background refresh",
  manual: "Manual refresh",
  api: "API refresh",
  rejected: "Refresh after Zoho refused the previous token",
};

export const viaLabel = (via: MintVia | null) => (via ? VIA_LABELS[via] : "Earlier mint");

const END_LABELS: Record<string, string> = {
  replaced: "Replaced by a newer token",
  expired: "Expired",
  revoked: "Revoked here",
  evicted: "Evicted (Zoho's cap of 20 refresh tokens)",
  invalid_code: "Refused by Zoho (revoked there or expired)",
  secret_changed: "Refused by Zoho after the client secret changed",
  discarded: "Discarded (the connection was re-authorized meanwhile)",
  rejected: "Refused by Zoho before its expiry (revoked or invalidated there)",
};

/**
 * How a life ended, as of `now`: `code` is what tests and colours rely on (the stored reason,
 * "expired" for an open life past its expiry, "current" otherwise), `reason` the words for it.
 */
export function lifeEnd(life: TokenLifeDto, now: number): { at: number | null; code: string; reason: string } {
  if (life.endedAt !== null) {
    const code = life.endReason ?? "ended";
    return { at: life.endedAt, code, reason: END_LABELS[code] ?? code };
  }
  if (life.expiresAt !== null && life.expiresAt <= now) return { at: life.expiresAt, code: "expired", reason: END_LABELS.expired };
  return { at: null, code: "current", reason: "Current token" };
}
