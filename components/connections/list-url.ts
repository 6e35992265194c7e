import type { ListQuery } from "@/lib/connections/queries";

/** The list's URL with some parameters changed; empty values are dropped, page resets unless given. */
export function listHref(query: ListQuery, changes: Partial<Record<keyof ListQuery, string | number | undefined>>): string {
  const merged: Record<string, string | number | undefined> = { ...query, page: undefined, ...changes };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) {
    if (v !== undefined && v !== "" && !(k === "page" && Number(v) <= 1)) params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `/connections?${qs}` : "/connections";
}

export function queryString(query: ListQuery): string {
  return listHref(query, { page: query.page }).split("?")[1] ?? "";
}
