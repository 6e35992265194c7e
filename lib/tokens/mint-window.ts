/**
 * Zoho lets one refresh token mint at most ten access tokens per ten minutes, then refuses with
 * "Access Denied" for the rest of its window (zoho-oauth.md §4). The console counts its own mints
 * over a trailing window, which never allows more than Zoho's fixed window would.
 */
import { MINT_WINDOW_MS, MINTS_PER_REFRESH_TOKEN } from "@/lib/zoho/limits";

export { MINT_WINDOW_MS };
const MINT_LIMIT = MINTS_PER_REFRESH_TOKEN;

export interface MintBudget {
  /** Mints inside the trailing window. */
  used: number;
  limit: number;
  allowed: boolean;
  /** When the next mint becomes possible (now when allowed). */
  possibleAt: number;
}

/** `mints` are epoch ms of earlier mints, in any order. */
export function mintBudget(mints: readonly number[], now: number, limit = MINT_LIMIT, windowMs = MINT_WINDOW_MS): MintBudget {
  const inWindow = mints.filter((t) => t > now - windowMs && t <= now).sort((a, b) => b - a);
  const used = inWindow.length;
  if (used < limit) return { used, limit, allowed: true, possibleAt: now };
  // The limit-th most recent mint has to leave the window before another fits.
  return { used, limit, allowed: false, possibleAt: inWindow[limit - 1] + windowMs };
}

/** End of Zoho's throttle window: ten minutes after the first mint of the window, or from now. */
export function zohoWindowEnd(mints: readonly number[], now: number, windowMs = MINT_WINDOW_MS): number {
  const inWindow = mints.filter((t) => t > now - windowMs && t <= now);
  return inWindow.length ? Math.min(...inWindow) + windowMs : now + windowMs;
}
