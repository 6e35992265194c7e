// What the audit charts draw. Computed on the server (lib/audit/activity.ts,
// lib/tokens/timeline.ts, lib/tokens/refresh-token-history.ts), drawn in the browser
// (components/charts/). Pure types and helpers, no secrets: a token appears by its last four only.

export const REFRESH_TRIGGERS = ["background", "manual", "api"] as const;
export type RefreshTriggerName = (typeof REFRESH_TRIGGERS)[number];

/** The overview chart's ranges, as `?range=` names them. */
export const ACTIVITY_RANGE_KEYS = ["24h", "7d", "30d"] as const;
export type ActivityRange = (typeof ACTIVITY_RANGE_KEYS)[number];
export const DEFAULT_ACTIVITY_RANGE: ActivityRange = "7d";

/** The range a `?range=` value names; anything else (missing, old, hand-edited) is the default. */
export function parseActivityRange(value: string | string[] | undefined | null): ActivityRange {
  const v = Array.isArray(value) ? value[0] : value;
  return (ACTIVITY_RANGE_KEYS as readonly string[]).includes(v ?? "") ? (v as ActivityRange) : DEFAULT_ACTIVITY_RANGE;
}

/**
 * Why refreshes failed, in the words a person acts on. The rollups keep each failure's raw kind;
 * this grouping is the chart's, so it can change without touching stored counts.
 */
export const FAILURE_KINDS = ["refused", "throttled", "unreachable", "other"] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

const KIND_OF_RAW: Record<string, FailureKind> = {
  // Zoho answered and refused the refresh token or the client: someone must act (reconnect, fix the secret).
  invalid_code: "refused",
  invalid_client: "refused",
  invalid_client_secret: "refused",
  invalid_redirect_uri: "refused",
  unknown_token: "refused",
  invalid_token: "refused",
  insufficient_scope: "refused",
  wrong_org: "refused",
  // Zoho's throttle, or the console holding back before Zoho's limits (it tries again by itself).
  throttled: "throttled",
  rate_limited: "throttled",
  backing_off: "throttled",
  // Zoho did not answer usefully: network, timeout, its own server error.
  network: "unreachable",
  timeout: "unreachable",
  server: "unreachable",
};

/** A failed refresh's raw kind (as the rollups keep it) grouped for the chart. */
export const failureKindOf = (raw: string): FailureKind => (Object.hasOwn(KIND_OF_RAW, raw) ? KIND_OF_RAW[raw] : "other");

/** The raw kinds that `failureKindOf` groups, with their group: for grouping in SQL the same way. */
export const RAW_FAILURE_KINDS: Readonly<Record<string, FailureKind>> = KIND_OF_RAW;

/** Refresh attempts in one quarter hour (UTC): successes by trigger, failures by kind. */
export interface ActivityBucket {
  /** Start of the quarter hour, epoch ms. */
  at: number;
  /** "" for failures: the chart splits them by kind, not by trigger. */
  trigger: RefreshTriggerName | "other" | "";
  outcome: "success" | "failure";
  /** "" for successes. */
  kind: FailureKind | "";
  count: number;
}

/** One trigger's successes or one kind's failures: a count for every quarter hour from the DTO's `since`, oldest first. */
export interface ActivitySeries {
  trigger: RefreshTriggerName | "other" | "";
  outcome: "success" | "failure";
  kind: FailureKind | "";
  counts: number[];
}

/**
 * The chosen range's refresh attempts per quarter hour (UTC), with a day to spare so the browser
 * can cut them at its own zone's hours and midnights (+05:30 and +05:45 included). Dense arrays of
 * plain numbers, one per trigger, outcome and kind that had any attempt, rather than an object per
 * bucket: this data is inlined into the overview's HTML, so only the range shown is sent.
 */
export interface RefreshActivityDto {
  generatedAt: number;
  range: ActivityRange;
  /** The first quarter hour's start, epoch ms. */
  since: number;
  series: ActivitySeries[];
}

export const QUARTER_MS = 15 * 60_000;

/** Dense series from quarter-hour buckets; quarters outside [since, since + quarters) are left out. */
export function activitySeries(buckets: ActivityBucket[], since: number, quarters: number): ActivitySeries[] {
  const series = new Map<string, ActivitySeries>();
  for (const b of buckets) {
    const i = Math.floor((b.at - since) / QUARTER_MS);
    if (i < 0 || i >= quarters || b.count === 0) continue;
    const key = `${b.trigger}/${b.outcome}/${b.kind}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = { trigger: b.trigger, outcome: b.outcome, kind: b.kind, counts: new Array<number>(quarters).fill(0) }));
    s.counts[i] += b.count;
  }
  return [...series.values()];
}

/** The quarter-hour buckets back from dense series, skipping quiet quarters. */
export function activityBuckets(dto: Pick<RefreshActivityDto, "since" | "series">): ActivityBucket[] {
  const buckets: ActivityBucket[] = [];
  for (const s of dto.series) {
    s.counts.forEach((count, i) => {
      if (count > 0) buckets.push({ at: dto.since + i * QUARTER_MS, trigger: s.trigger, outcome: s.outcome, kind: s.kind, count });
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
