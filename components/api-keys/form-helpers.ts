// Pure helpers of the API key form, kept apart from React so they can be unit-tested.

import type { ConnectionChoice } from "@/lib/api-keys/connection-choices";

export type { ConnectionChoice };

/** A connection already chosen for a key; a saved key's list does not say whether it is revoked. */
export type ChosenConnection = Omit<ConnectionChoice, "revoked"> & { revoked?: boolean };

/** The chosen connections with `c` added at the end, or taken out if it was there. */
export function toggleChoice(chosen: readonly ChosenConnection[], c: ChosenConnection): ChosenConnection[] {
  return chosen.some((x) => x.id === c.id) ? chosen.filter((x) => x.id !== c.id) : [...chosen, c];
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
