// Real refresh tokens from the sandbox, minted the way test/sandbox-harness.ts does it: a code
// from the admin API (as if the user had accepted consent), exchanged at the token endpoint.
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, demoRedirectUri } from "@/sandbox/seed";
import type { RealGrant } from "./seed";

/** Zoho keeps at most 20 live refresh tokens per user and client; the 21st evicts the oldest. */
const GRANTS_PER_USER = 20;
const SCOPES = ["Desk.tickets.READ", "AaaServer.profile.READ"];

export async function sandboxAdmin<T = unknown>(sandboxUrl: string, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sandboxUrl}/_sandbox/${route}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`sandbox ${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface SandboxCounters {
  tokenEndpointCalls: number;
  tokenEndpointPeakInFlight: number;
  tokensMinted: { authorization_code: number; refresh_token: number; client_credentials: number };
  throttled: number;
  evictions: number;
}

export const sandboxCounters = (url: string) => sandboxAdmin<SandboxCounters>(url, "GET", "counters");
export const resetSandboxCounters = (url: string) => sandboxAdmin<SandboxCounters>(url, "DELETE", "counters");

/** Runs `work` over `items` with at most `size` at once (set-up only; not a measurement). */
async function inParallel<T, R>(items: T[], size: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i], i);
    }),
  );
  return out;
}

/**
 * `count` grants of the demo client, spread over enough fresh sandbox users that none holds more
 * than 20 live refresh tokens. Raises the sandbox's code and refresh-token issue rates first (the
 * set-up mints far more than Zoho's ten per ten minutes); the refresh limits stay Zoho's.
 */
export async function mintGrants(sandboxUrl: string, consoleUrl: string, count: number, label: string): Promise<RealGrant[]> {
  await sandboxAdmin(sandboxUrl, "POST", "limits", { codesPerClientPerWindow: 1_000_000, refreshTokensPerUserPerClientPerWindow: 1_000_000 });
  const userCount = Math.ceil(count / GRANTS_PER_USER);
  const users = await inParallel(Array.from({ length: userCount }, (_, i) => i), 4, (i) =>
    sandboxAdmin<{ zuid: string; email: string }>(sandboxUrl, "POST", "users", {
      email: `${label}-${String(i + 1).padStart(3, "0")}@bench.test`,
      firstName: "Bench",
      lastName: `${label} ${i + 1}`,
      dc: "us",
    }),
  );
  const redirectUri = demoRedirectUri(consoleUrl);
  return inParallel(Array.from({ length: count }, (_, i) => i), 8, async (i) => {
    const user = users[Math.floor(i / GRANTS_PER_USER)];
    const code = await sandboxAdmin<{ code: string; location: string; accountsServer: string }>(sandboxUrl, "POST", "codes", {
      clientId: DEMO_CLIENT_ID,
      email: user.email,
      scopes: SCOPES,
      accessType: "offline",
    });
    const res = await fetch(`${code.accountsServer}/oauth/v2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: code.code,
        client_id: DEMO_CLIENT_ID,
        client_secret: DEMO_CLIENT_SECRET,
        redirect_uri: redirectUri,
      }).toString(),
    });
    const body = (await res.json()) as { access_token?: string; refresh_token?: string; api_domain?: string; expires_in?: number; error?: string };
    if (!body.access_token || !body.refresh_token) throw new Error(`sandbox exchange failed: ${JSON.stringify(body)}`);
    return {
      email: user.email,
      zuid: user.zuid,
      location: code.location,
      accountsServer: code.accountsServer,
      apiDomain: body.api_domain!,
      scopes: SCOPES,
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      expiresInSec: body.expires_in ?? 3600,
    };
  });
}
