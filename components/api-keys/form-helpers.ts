// Pure helpers of the API key form, kept apart from React so they can be unit-tested.

export interface ConnectionChoice {
  id: number;
  name: string;
  revoked: boolean;
}

/** How many matches the checklist renders at once; a filter narrows thousands to a few. */
const CHECKLIST_LIMIT = 300;

/**
 * The connections whose name holds every word of the query (any case), in the given order,
 * at most `limit` of them, and how many matched in all.
 */
export function filterChoices<T extends { name: string }>(choices: readonly T[], query: string, limit = CHECKLIST_LIMIT) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matching = words.length ? choices.filter((c) => words.every((w) => c.name.toLowerCase().includes(w))) : [...choices];
  return { shown: matching.slice(0, Math.max(0, limit)), matching: matching.length };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A time as the value of `<input type="datetime-local">`, in the browser's zone, to the minute. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A datetime-local value (local time, no zone) as the ISO instant the server expects; empty
 * stays empty (no expiry). Something unparsable is passed on for the server to refuse.
 */
export function localInputToIso(value: string): string {
  const v = value.trim();
  if (!v) return "";
  const ms = new Date(v).getTime();
  return Number.isNaN(ms) ? v : new Date(ms).toISOString();
}
