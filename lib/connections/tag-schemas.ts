// The tag rules as zod schemas, for server actions and the service API. Apart from tag-rules.ts
// so that client components reading the rules do not carry zod into the browser.
import { z } from "zod";
import { normalizeTag, tagProblem, TAG_MAX_LENGTH, TAGS_PER_CHANGE } from "./tag-rules";

/** One tag as typed: trimmed, lowercased, then checked. */
export const tagSchema = z
  .string()
  .max(200, `A tag is at most ${TAG_MAX_LENGTH} characters.`)
  .transform(normalizeTag)
  .superRefine((tag, ctx) => {
    const problem = tagProblem(tag);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * A box of tags separated by commas or spaces ("env:prod, customer:acme"): each normalized and
 * checked, duplicates dropped.
 */
export const tagListSchema = z
  .string()
  .max(2000, "Too many tags at once.")
  .transform((v) => [...new Set(v.split(/[\s,]+/).map(normalizeTag).filter(Boolean))])
  .superRefine((tags, ctx) => {
    if (tags.length === 0) ctx.addIssue({ code: "custom", message: "Enter a tag." });
    if (tags.length > TAGS_PER_CHANGE) ctx.addIssue({ code: "custom", message: `At most ${TAGS_PER_CHANGE} tags at once.` });
    for (const t of tags) {
      const problem = tagProblem(t);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return;
      }
    }
  });
