// Which connections the background refresher can keep fresh: shared by the server's check
// (lib/connections/keep-fresh.ts) and the switch that shows why it is unavailable.

/** Why `wanted` cannot be set on this connection, or null when it can. */
export function keepFreshRefusal(c: { accessType: string; revoked: boolean }, wanted: boolean): string | null {
  if (c.revoked) return "Revoked: there is no token to keep fresh. Reconnect it first.";
  // Turning it off is always allowed; only renewing needs a refresh token.
  if (wanted && c.accessType === "online") return "Online-only: without a refresh token the access token cannot be renewed in the background.";
  return null;
}
