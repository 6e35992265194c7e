/**
 * Shared set-up for the connect flow's tests: an in-process sandbox, a temporary database
 * pointed at it, one admin and the sandbox's demo and self clients registered. Import it with
 * `await setUpConnectTest()` before importing any module that reads the configuration.
 */
import { ConsentDriver, CONSOLE_URL, REDIRECT_URI, startTestSandbox, type TestSandbox } from "@/sandbox/test-support";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SELF_CLIENT_ID, SELF_CLIENT_SECRET } from "@/sandbox/seed";
import { setupTempDatabase as pointAtTempDatabase } from "@/test/temp-db";

export async function setUpConnectTest() {
  const sandbox: TestSandbox = await startTestSandbox();
  const tmp = pointAtTempDatabase({ ZOHO_SANDBOX_URL: sandbox.url, CONSOLE_PUBLIC_URL: CONSOLE_URL, ZOHO_HTTP_TIMEOUT_MS: "3000" });
  const { getDb } = await import("@/db/client");
  const schema = await import("@/db/schema");
  const clients = await import("@/lib/clients");
  const db = getDb();
  const mkUser = (email: string, role: "admin" | "operator" | "viewer" = "admin") => {
    const row = db.insert(schema.users).values({ email, name: email, passwordHash: "x", role }).returning().get();
    return { id: row.id, email: row.email, name: row.name, role: row.role };
  };
  const admin = mkUser("admin@console.test");
  const demo = clients.createClient(
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
  const self = clients.createClient(
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
  return {
    sandbox,
    driver: new ConsentDriver(sandbox.url),
    db,
    schema,
    mkUser,
    admin,
    demo,
    self,
    async close() {
      await sandbox.close();
      tmp.cleanup();
    },
  };
}

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
