// Zoho's documented limits (zoho-oauth.md §4), named once. Sources disagree on some of them; the
// console stays under these and never relies on Zoho being more generous.

/** Live refresh tokens Zoho keeps per user and client; minting the 21st silently deletes the oldest. */
export const REFRESH_TOKEN_CAP = 20;

/** Access tokens one refresh token may mint per window before Zoho answers "Access Denied". */
export const MINTS_PER_REFRESH_TOKEN = 10;
export const MINT_WINDOW_MS = 10 * 60_000;

/** The lifetimes Zoho's API console offers for a self-client code ("Time Duration"), in minutes. */
export const SELF_CLIENT_CODE_MINUTES = [3, 5, 7, 10] as const;
export type SelfClientCodeMinutes = (typeof SELF_CLIENT_CODE_MINUTES)[number];
