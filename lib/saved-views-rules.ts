// What a saved view may be: a name and a console list the filters of which it keeps. Pure.
import { z } from "zod";

export const VIEWS_PER_USER = 20;
/** The pages whose filters live in the URL, so a view is just that URL. */
export const VIEW_PAGES = ["/connections", "/audit"] as const;

/** The path and query string of a list, cursors, page numbers and empty fields dropped (a view is a filter, not a place in it). */
export function viewHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw, "http://console.invalid");
  } catch {
    return null;
  }
  if (url.origin !== "http://console.invalid" || !(VIEW_PAGES as readonly string[]).includes(url.pathname)) return null;
  for (const k of ["page", "before", "after"]) url.searchParams.delete(k);
  // A filter bar submits its empty fields too ("q=&status="): they select nothing.
  for (const [k, v] of [...url.searchParams]) if (v === "") url.searchParams.delete(k);
  const qs = url.searchParams.toString();
  return qs ? `${url.pathname}?${qs}` : url.pathname;
}

export const saveViewInput = z.object({
  name: z.string().trim().min(1, "Name the view.").max(60, "A view's name is at most 60 characters."),
  href: z
    .string()
    .max(2000)
    .transform((v, ctx) => {
      const href = viewHref(v);
      if (!href) {
        ctx.addIssue({ code: "custom", message: "Only a Connections or Audit view can be saved." });
        return z.NEVER;
      }
      return href;
    }),
});
