import { lifeEnd, viaLabel, type MarkerKind, type TokenLifeDto, type TokenTimelineDto } from "@/lib/charts/types";

// What the timeline draws for each access-token life, kept apart from the drawing so the
// chart, its tooltip and its table agree on every end and colour.

export interface LifeRow {
  life: TokenLifeDto;
  /** Its place among all the connection's tokens, oldest first. */
  n: number;
  /** "#3 Manual refresh". */
  label: string;
  via: string;
  /** replaced, expired, revoked, … or "current". */
  reasonCode: string;
  reasonText: string;
  /** When it stopped being the token, or null while current. */
  endAt: number | null;
  start: number;
  /** The end of the solid part: its end, or now while current. */
  solidEnd: number;
  /** The end of the bar: for a current token its expiry, drawn lighter beyond now. */
  end: number;
  color: string;
  /** Ranged bar value for Recharts. */
  span: [number, number];
}

const GREEN = "#059669";
const INDIGO = "#6366f1";
const SLATE = "#64748b";
const RED = "#dc2626";
const AMBER = "#d97706";

const END_COLORS: Record<string, string> = {
  current: GREEN,
  replaced: INDIGO,
  expired: SLATE,
  revoked: RED,
  evicted: RED,
  invalid_code: RED,
  secret_changed: RED,
  rejected: RED,
  discarded: AMBER,
};

export const END_LEGEND: { label: string; color: string }[] = [
  { label: "Current", color: GREEN },
  { label: "Replaced", color: INDIGO },
  { label: "Expired", color: SLATE },
  { label: "Revoked, evicted or refused", color: RED },
  { label: "Discarded", color: AMBER },
];

export const MARKER_KINDS: Record<MarkerKind, { name: string; color: string }> = {
  refresh_failed: { name: "Refresh failed", color: "#dc2626" },
  throttled: { name: "Throttled", color: "#d97706" },
  evicted: { name: "Evicted", color: "#9333ea" },
  revoked: { name: "Revoked", color: "#991b1b" },
  reauth: { name: "Needs re-authorization", color: "#ea580c" },
  binding: { name: "Binding changed", color: "#0284c7" },
};

export function lifeRows(data: TokenTimelineDto, now: number): LifeRow[] {
  const offset = Math.max(0, data.total - data.lives.length);
  return data.lives.map((life, i) => {
    const ended = lifeEnd(life, now);
    const reasonCode = ended.code;
    const start = life.mintedAt;
    const solidEnd = Math.max(start, ended.at ?? now);
    const end = ended.at === null && life.expiresAt !== null ? Math.max(solidEnd, life.expiresAt) : solidEnd;
    const via = viaLabel(life.via);
    const n = offset + i + 1;
    return {
      life,
      n,
      label: `#${n} ${via}`,
      via,
      reasonCode,
      reasonText: ended.reason,
      endAt: ended.at,
      start,
      solidEnd,
      end,
      color: END_COLORS[reasonCode] ?? SLATE,
      span: [start, end],
    };
  });
}

/** The time axis: from the earliest mint to the later of now and the latest end, with a little room after. */
export function timelineDomain(rows: LifeRow[], now: number): [number, number] {
  const lo = Math.min(...rows.map((r) => r.start));
  const hi = Math.max(now, ...rows.map((r) => r.end));
  const span = hi > lo ? hi - lo : 60_000;
  // Room after the last instant, so "now" and a mark at the end are not drawn on the box's edge.
  return [lo, lo + span * 1.03];
}

/** Narrowest a token's bar or a mark is drawn, however short its life: refreshes seconds apart stay visible. */
export const MIN_MARK_PX = 4;

/**
 * Where to draw marks at `ats` (ascending) so that none is within `minGap` of the one before:
 * events seconds apart on an axis of days would otherwise draw as one. A mark moves only later,
 * and only as far as it must; its tooltip and table keep the true time.
 */
export function spreadInstants(ats: number[], minGap: number): number[] {
  const out: number[] = [];
  for (const at of ats) out.push(out.length && at - out[out.length - 1] < minGap ? out[out.length - 1] + minGap : at);
  return out;
}

