// For unit tests only: an in-process sandbox, a throw-away database, and connections made from
// real sandbox tokens. Environment must be set before the first config() call, so modules that
// read it are imported lazily here.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "@/sandbox/seed";
import { REDIRECT_URI, startTestSandbox, type TestSandbox } from "@/sandbox/test-support";

export interface Harness {
  sandbox: TestSandbox;
  clientRef: number;
  /** A connection holding fresh sandbox tokens for the user. */
  connect(opts?: { email?: string; scopes?: string[]; binding?: Record<string, unknown>; name?: string }): Promise<number>;
  counters(): Promise<{ tokenEndpointCalls: number; refreshMints: number }>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const sandbox = await startTestSandbox();
  const dir = mkdtempSync(path.join(tmpdir(), "console-tokens-"));
  process.env.CONSOLE_DATABASE_FILE = path.join(dir, "console.db");
  process.env.ZOHO_SANDBOX_URL = sandbox.url;
  process.env.ENCRYPTION_KEY = `t1:${Buffer.alloc(32, 7).toString("base64")}`;
  process.env.ZOHO_HTTP_TIMEOUT_MS = "3000";
  await sandbox.admin("POST", "limits", { codesPerClientPerWindow: 1000, refreshTokensPerUserPerClientPerWindow: 1000 });

  const { getDb } = await import("@/db/client");
  const { connections, zohoClients } = await import("@/db/schema");
  const { encryptSecret } = await import("@/lib/secrets");
  const { exchangeCode } = await import("@/lib/zoho");
  const db = getDb();
  const client = db
    .insert(zohoClients)
    .values({
      name: "Sandbox demo",
      realm: "sandbox",
      clientType: "server",
      clientId: DEMO_CLIENT_ID,
      secretEnc: encryptSecret(DEMO_CLIENT_SECRET),
      secretLast4: DEMO_CLIENT_SECRET.slice(-4),
      secretUpdatedAt: new Date(Date.now() - 86_400_000),
      homeDc: "us",
      multiDc: true,
      enabledDcs: ["eu"],
    })
    .returning()
    .get();

  let n = 0;
  return {
    sandbox,
    clientRef: client.id,
    async connect(opts = {}) {
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
      const row = db
        .insert(connections)
        .values({
          name: opts.name ?? `conn-${++n}`,
          clientRef: client.id,
          accessType: "offline",
          zuid: email === "ada@zylker.com" ? "70000001" : null,
          zohoEmail: email,
          location: minted.body.location,
          accountsServer: minted.body.accountsServer,
          apiDomain: set.apiDomain,
          scopesRequested: scopes,
          scopesGranted: scopes,
          orgBinding: opts.binding ?? {},
          accessTokenEnc: encryptSecret(set.accessToken),
          accessTokenLast4: set.accessToken.slice(-4),
          accessTokenExpiresAt: new Date(now + set.expiresInSec * 1000),
          refreshTokenEnc: encryptSecret(set.refreshToken!),
          refreshTokenLast4: set.refreshToken!.slice(-4),
          refreshTokenIssuedAt: new Date(now),
          lastRefreshAt: new Date(now),
        })
        .returning()
        .get();
      return row.id;
    },
    async counters() {
      const { body } = await sandbox.admin("GET", "counters");
      return { tokenEndpointCalls: body.tokenEndpointCalls, refreshMints: body.tokensMinted.refresh_token };
    },
    async close() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
