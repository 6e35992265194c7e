// What a change event changed, as rows of a two-column before/after table. Writers record a
// change as `before`/`after` objects of the changed fields (client edits, role changes, Keep
// fresh), or per field as `{ from, to }` (API key edits), or, in rows older than that, as a
// top-level `from`/`to` (role changes). Pure, so the browser can use it too.

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const isFromTo = (v: unknown): v is { from: unknown; to: unknown } => isObject(v) && "from" in v && "to" in v && Object.keys(v).length === 2;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The changed fields of an event's detail, in the writer's order; empty when it is no change. */
export function changeDiff(detail: Record<string, unknown> | null): FieldChange[] {
  if (!detail) return [];
  if (isObject(detail.before) && isObject(detail.after)) {
    const before = detail.before;
    const after = detail.after;
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return fields.filter((f) => !same(before[f], after[f])).map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
  }
  const perField = Object.entries(detail)
    .filter(([, v]) => isFromTo(v))
    .map(([field, v]) => ({ field, before: (v as { from: unknown }).from, after: (v as { to: unknown }).to }));
  if (perField.length) return perField;
  if ("from" in detail && "to" in detail && !isObject(detail.from) && !isObject(detail.to)) return [{ field: "value", before: detail.from, after: detail.to }];
  return [];
}

/** A value as the diff shows it: text as is, the rest as compact JSON, nothing as "—". */
export const diffValue = (v: unknown): string => (v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));
