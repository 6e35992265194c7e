/**
 * Calls to the /api/v1 route handlers as Next makes them, for the tests that drive the service
 * API in process (test/service-api.test.ts, test/token-rejection.test.ts). Import it after the
 * sandbox harness has set the environment: the routes read the configuration once.
 */
type Actor = { type: "user"; id: number; label: string };

export const BASE = "http://localhost:3000";

export const req = (path: string, key?: string, init: RequestInit = {}) =>
  new Request(`${BASE}${path}`, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers ?? {}) } });

export const ctx = <P>(params: P) => ({ params: Promise.resolve(params) });

type KeyOpts = Partial<{ scope: "all" | "chosen"; connectionIds: number[]; permissions: ("read" | "token" | "proxy")[]; rate: number | null; expiresAt: Date | null }>;

/** A key made as the admin's form makes one (every permission but metrics unless told). */
export async function makeKey(admin: Actor, o: KeyOpts = {}) {
  const store = await import("@/lib/api-keys/store");
  return store.createApiKey(
    {
      name: `key-${Math.random().toString(36).slice(2, 8)}`,
      scope: o.scope ?? "all",
      connectionIds: o.connectionIds ?? [],
      permissions: o.permissions ?? ["read", "token", "proxy"],
      expiresAt: o.expiresAt ?? null,
      rateLimitPerMinute: o.rate ?? null,
    },
    admin,
    null,
  );
}

/** The connection's stored access token, decrypted. */
export async function storedAccessToken(id: number): Promise<string> {
  const { getDb } = await import("@/db/client");
  const { connections } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  const { decryptSecret, secretPlace } = await import("@/lib/secrets");
  const [row] = await getDb().select().from(connections).where(eq(connections.id, id));
  return decryptSecret(row.accessTokenEnc!, secretPlace.accessToken(id));
}
