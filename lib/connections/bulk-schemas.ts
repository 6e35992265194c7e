// A bulk run's input as zod schemas, for its server actions. Apart from bulk-rules.ts so that the
// bulk bar (a client component) reading the rules does not carry zod into the browser.
import { z } from "zod";
import { BULK_MAX, BULK_OPERATIONS, LOCAL_STEP, type BulkOperation } from "./bulk-rules";
import { tagSchema } from "./tag-schemas";

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
