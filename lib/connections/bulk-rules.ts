// The list's bulk actions: which there are, what they are called, how many connections one may
// act on, and how the browser splits a run into steps. Pure, shared by the bar and the server.
import { z } from "zod";
import { tagSchema } from "./tag-rules";

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

const ids = z
  .string()
  .max(BULK_MAX * 12)
  .transform((v, ctx) => {
    const list = [...new Set(v.split(",").filter(Boolean).map(Number))];
    if (list.length === 0 || list.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
      ctx.addIssue({ code: "custom", message: "Select at least one connection." });
      return z.NEVER;
    }
    return list;
  });

/** The tag of tag_add and tag_remove; refused when missing for those, ignored for the rest. */
const withTag = <T extends { operation: BulkOperation; tag?: string }>(v: T, ctx: z.RefinementCtx) => {
  if ((v.operation === "tag_add" || v.operation === "tag_remove") && !v.tag) ctx.addIssue({ code: "custom", path: ["tag"], message: "Enter a tag." });
};

/** What the selection is: chosen ids (one, some, a page) or every connection the list's filter matches. */
export const bulkPreviewInput = z
  .object({
    operation: z.enum(BULK_OPERATIONS),
    ids: ids.optional(),
    /** The list's query string, for "every match of the filter". */
    filter: z.string().max(2000).optional(),
    tag: z.preprocess((v) => (v === "" ? undefined : v), tagSchema.optional()),
  })
  .superRefine((v, ctx) => {
    if (!v.ids && v.filter === undefined) ctx.addIssue({ code: "custom", path: ["ids"], message: "Select at least one connection." });
    withTag(v, ctx);
  });

/** One step of a confirmed run: some of the previewed ids. */
export const bulkStepInput = z
  .object({
    operation: z.enum(BULK_OPERATIONS),
    ids: ids.refine((l) => l.length <= LOCAL_STEP, `At most ${LOCAL_STEP} connections per step.`),
    tag: z.preprocess((v) => (v === "" ? undefined : v), tagSchema.optional()),
  })
  .superRefine(withTag);

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
