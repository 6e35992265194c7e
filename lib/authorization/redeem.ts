import "server-only";
import { config } from "@/lib/config";
import type { ClientCredentials } from "@/lib/clients";
import {
  discoverOrganisations,
  exchangeCode,
  fetchUserInfo,
  isKnownApiDomain,
  isZohoError,
  parseScopeString,
  PROFILE_SCOPE,
  servicesOf,
  type DataCentre,
  type DiscoveryResults,
  ZohoError,
} from "@/lib/zoho";
import { realmBase } from "@/lib/realm";
import { revokeQuietly } from "@/lib/tokens/engine";
import { zohoFailure, type ZohoFailure } from "./failures";
import type { Grant } from "./persist";

const timeoutMs = () => config().ZOHO_HTTP_TIMEOUT_MS;

const hasProfileScope = (scopes: readonly string[]) =>
  scopes.some((s) => s.toLowerCase() === PROFILE_SCOPE.toLowerCase());

interface RedeemInput {
  client: ClientCredentials;
  /** The DC whose accounts server was vetted for this code; nothing else is ever called. */
  dc: DataCentre;
  code: string;
  /** The consent's redirect URI; omitted for self-client codes. */
  redirectUri?: string;
  scopesRequested: string[];
}

/**
 * Code → tokens → who consented. Zoho's errors (HTTP-200 bodies included) come back as a
 * failure with fixed texts. If user info fails after the exchange (in any way), the fresh tokens
 * are revoked so nothing half-made lingers at Zoho either.
 */
export async function redeemCode(input: RedeemInput): Promise<{ ok: true; grant: Grant } | { ok: false; failure: ZohoFailure }> {
  const { client, dc } = input;
  let tokens;
  try {
    tokens = await exchangeCode({
      accountsServer: dc.accountsServer,
      location: dc.location,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      code: input.code,
      ...(input.redirectUri ? { redirectUri: input.redirectUri } : {}),
      timeoutMs: timeoutMs(),
    });
  } catch (e) {
    if (isZohoError(e)) return { ok: false, failure: zohoFailure(e) };
    throw e;
  }
  if (!isKnownApiDomain(client.realm, tokens.apiDomain, realmBase(client.realm))) {
    // API calls would carry the token to that host: keep nothing and say so.
    await revokeQuietly(dc, tokens.refreshToken ?? tokens.accessToken);
    const error = new ZohoError("malformed", { operation: "exchange", location: dc.location, host: new URL(dc.accountsServer).host }, "(api_domain is not a known Zoho API domain)");
    return { ok: false, failure: zohoFailure(error) };
  }
  const granted = tokens.scope ? parseScopeString(tokens.scope).scopes : [];
  const scopesGranted = granted.length ? granted : input.scopesRequested;
  const grant: Grant = { tokens, dc, scopesRequested: input.scopesRequested, scopesGranted };
  if (hasProfileScope(scopesGranted)) {
    try {
      grant.user = await fetchUserInfo({
        accountsServer: dc.accountsServer,
        location: dc.location,
        accessToken: tokens.accessToken,
        timeoutMs: timeoutMs(),
      });
    } catch (e) {
      // Whatever went wrong, the tokens just minted are not kept.
      await revokeQuietly(dc, tokens.refreshToken ?? tokens.accessToken);
      if (!isZohoError(e)) throw e;
      return { ok: false, failure: zohoFailure(e) };
    }
  }
  return { ok: true, grant };
}

export function discoverFor(dc: DataCentre, accessToken: string, scopes: readonly string[]): Promise<DiscoveryResults> {
  return discoverOrganisations({ dc, accessToken, services: servicesOf(scopes), timeoutMs: timeoutMs() });
}
