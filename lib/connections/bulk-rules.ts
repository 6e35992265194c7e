// The list's bulk actions: which there are, what they are called, how many connections one may
// act on, and how the browser splits a run into steps. Pure, shared by the bar and the server.

export const BULK_OPERATIONS = ["refresh", "verify", "keep_fresh_on", "keep_fresh_off", "revoke", "tag_add", "tag_remove"] as const;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];

export const BULK_LABELS: Record<BulkOperation, string> = {
  refresh: "Refresh",
  verify: "Verify",
  keep_fresh_on: "Keep fresh on",
  keep_fresh_off: "Keep fresh off",
  revoke: "Revoke",
  tag_add: "Add tag",
  tag_remove: "Remove tag",
};

/** Operations that call Zoho: one connection per step, paced per accounts server. */
export const CALLS_ZOHO: ReadonlySet<BulkOperation> = new Set(["refresh", "verify", "revoke"]);

/** Most connections one bulk action may take: past it, narrow the filter. */
export const BULK_MAX = 500;
/** Connections per server call of a run that does not call Zoho. */
export const LOCAL_STEP = 25;

export const stepSize = (op: BulkOperation) => (CALLS_ZOHO.has(op) ? 1 : LOCAL_STEP);

/** What one connection's part of a run came to. */
export interface BulkResult {
  id: number;
  name: string;
  ok: boolean;
  message: string;
  /** Zoho asked to slow down: the run stops calling Zoho. */
  throttled?: boolean;
  /** Not tried: an earlier throttle stopped the run. */
  skipped?: boolean;
}

export const THROTTLE_STOP = "Not attempted: Zoho asked the console to slow down. Run it again for the rest in a few minutes.";
