import type { KeyboardEvent } from "react";

/**
 * The picker lives inside other forms (the connect wizard); Enter in one of its own boxes
 * means "search" or "add", never "submit the whole form".
 */
export function preventSubmitOnEnter(e: KeyboardEvent<HTMLInputElement>) {
  if (e.key === "Enter") e.preventDefault();
}
