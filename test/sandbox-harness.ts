/**
 * One set-up for every unit test that talks to a real (in-process) Zoho sandbox: a temporary
 * database pointed at it, one admin, the sandbox's demo and self clients registered, a consent
 * driver for the browser flow and a shortcut to connections holding real sandbox tokens.
 *
 * The configuration is parsed once and cached, so call `startSandboxHarness()` before importing
 * any module that reads it; this file only imports such modules lazily for the same reason.
 */
import { ConsentDriver, CONSOLE_URL, REDIRECT_URI, startTestSandbox, type TestSandbox } from "@/sandbox/test-support";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SELF_CLIENT_ID, SELF_CLIENT_SECRET } from "@/sandbox/seed";
import { setupTempDatabase } from "@/test/temp-db";

type Role = "admin" | "operator" | "viewer";

export interface ConnectOptions {
  email?: string;
  scopes?: string[];
  binding?: Record<string, unknown>;
  name?: string;
}

/** `env` overrides the console's configuration for the test file (e.g. a shorter Zoho timeout). */
export async function startSandboxHarness(env: Record<string, string> = {}) {
  const sandbox: TestSandbox = await startTestSandbox();
  const tmp = setupTempDatabase({ ZOHO_SANDBOX_URL: sandbox.url, CONSOLE_PUBLIC_URL: CONSOLE_URL, ZOHO_HTTP_TIMEOUT_MS: "3000", ...env });
  // Tests mint far more codes and refresh tokens than the sandbox's Zoho-like defaults allow.
  await sandbox.admin("POST", "limits", { codesPerClientPerWindow: 1000, refreshTokensPerUserPerClientPerWindow: 1000 });
  const { getDb } = await import("@/db/client");
  const schema = await import("@/db/schema");
  const clients = await import("@/lib/clients");
  const { encryptSecret, secretPlace } = await import("@/lib/secrets");
  const { exchangeCode } = await import("@/lib/zoho");
  const { eq } = await import("drizzle-orm");
  const db = getDb();

  const mkUser = async (email: string, role: Role = "admin") => {
    const [row] = await db.insert(schema.users).values({ email, name: email, passwordHash: "x", role }).returning();
    return { id: row.id, email: row.email, name: row.name, role: row.role };
  };
  const admin = await mkUser("admin@console.test");
  // Registered through lib/clients, as the console's own form does, so the rows are realistic.
  const demo = await clients.createClient(
    {
      name: "Sandbox demo client",
      realm: "sandbox",
      clientType: "server",
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      homeDc: "us",
      multiDc: true,
      enabledDcs: ["us", "eu", "in", "au", "jp", "ca", "sa", "uk"],
      description: "",
    },
    admin.id,
  );
  const self = await clients.createClient(
    {
      name: "Sandbox self client",
      realm: "sandbox",
      clientType: "self",
      clientId: SELF_CLIENT_ID,
      clientSecret: SELF_CLIENT_SECRET,
      homeDc: "us",
      multiDc: false,
      enabledDcs: [],
      description: "",
    },
    admin.id,
  );
  // The engine flags tokens issued before the client's last secret change ("secret_changed");
  // dating the secret a day back keeps every connection a test makes clear of that check.
  await db
    .update(schema.zohoClients)
    .set({ secretUpdatedAt: new Date(Date.now() - 86_400_000) })
    .where(eq(schema.zohoClients.id, demo.id));

  let n = 0;
  /** A connection on the demo client holding fresh sandbox tokens, made without the consent screens. */
  async function connect(opts: ConnectOptions = {}): Promise<number> {
    const email = opts.email ?? "ada@zylker.com";
    const scopes = opts.scopes ?? ["Desk.tickets.READ", "AaaServer.profile.READ"];
    const minted = await sandbox.admin("POST", "codes", { clientId: DEMO_CLIENT_ID, email, scopes, accessType: "offline" });
    if (minted.status !== 201) throw new Error(`code: ${JSON.stringify(minted.body)}`);
    const set = await exchangeCode({
      accountsServer: minted.body.accountsServer,
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      code: minted.body.code,
      redirectUri: REDIRECT_URI,
      timeoutMs: 3000,
    });
    const now = Date.now();
    const [row] = await db
      .insert(schema.connections)
      .values({
        name: opts.name ?? `conn-${++n}`,
        clientRef: demo.id,
        accessType: "offline",
        zuid: email === "ada@zylker.com" ? "70000001" : null,
        zohoEmail: email,
        location: minted.body.location,
        accountsServer: minted.body.accountsServer,
        apiDomain: set.apiDomain,
        scopesRequested: scopes,
        scopesGranted: scopes,
        orgBinding: opts.binding ?? {},
        accessTokenLast4: set.accessToken.slice(-4),
        accessTokenExpiresAt: new Date(now + set.expiresInSec * 1000),
        refreshTokenLast4: set.refreshToken!.slice(-4),
        refreshTokenIssuedAt: new Date(now),
        lastRefreshAt: new Date(now),
      })
      .returning();
    // Bound to the row id, as lib/authorization/persist.ts writes them after its insert.
    await db
      .update(schema.connections)
      .set({
        accessTokenEnc: encryptSecret(set.accessToken, secretPlace.accessToken(row.id)),
        refreshTokenEnc: encryptSecret(set.refreshToken!, secretPlace.refreshToken(row.id)),
      })
      .where(eq(schema.connections.id, row.id));
    return row.id;
  }

  return {
    sandbox,
    /** The temporary data folder holding the database file. */
    dir: tmp.dir,
    driver: new ConsentDriver(sandbox.url),
    /** The console's query builder; `tx()` and `database()` come from @/db/client. */
    db,
    schema,
    mkUser,
    admin,
    demo,
    self,
    connect,
    /** How often the sandbox's token endpoint was hit, to prove a call was (not) made. */
    async counters(): Promise<{ tokenEndpointCalls: number; refreshMints: number }> {
      const { body } = await sandbox.admin("GET", "counters");
      return { tokenEndpointCalls: body.tokenEndpointCalls, refreshMints: body.tokensMinted.refresh_token };
    },
    async close() {
      await sandbox.close();
      tmp.cleanup();
    },
  };
}

export type SandboxHarness = Awaited<ReturnType<typeof startSandboxHarness>>;

/** Walks the sandbox's consent screens from a consent URL the console built; returns the callback. */
export async function consentAt(
  driver: ConsentDriver,
  url: string,
  o: { email: string; assistOrg?: string; decision?: "accept" | "deny" },
): Promise<URL> {
  driver.authUrl = () => url;
  const { callback } = await driver.consent({ ...o, scope: "", redirectUri: REDIRECT_URI });
  return callback;
}

/**
 * The modules the token tests drive. They read the configuration, so they can only be imported
 * once the harness has set the environment; one call replaces a dozen lazy imports per file.
 */
export async function importTokenModules() {
  return {
    engine: await import("@/lib/tokens/engine"),
    revoke: await import("@/lib/tokens/revoke"),
    verify: await import("@/lib/tokens/verify"),
    refresher: await import("@/lib/tokens/refresher"),
    status: await import("@/lib/connection-status"),
    secrets: await import("@/lib/secrets"),
    dbm: await import("@/db/client"),
    schema: await import("@/db/schema"),
    drizzle: await import("drizzle-orm"),
  };
}
