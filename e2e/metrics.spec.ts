// Prometheus metrics against the production build: scraped from this host without a key, from
// anywhere with a metrics-only key made in the UI, refused to everyone else.
import { expect, test, type Page } from "@playwright/test";
import { MULTI_USER } from "../sandbox/seed";
import { addSandboxDemoClient, connectViaSandbox, resetSandbox, expireStoredToken } from "./connect-helpers";
import { ADMIN_STATE, CONSOLE_URL, E2E_INSTANCES } from "./env";

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

let conn: number;

/** Creates a key through Settings → API keys with exactly the permissions named; returns it. */
async function createKey(page: Page, name: string, permissions: string[]): Promise<string> {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("All connections").check();
  for (const label of ["Read connections", "Get access tokens", "Call Zoho through the console", "Read metrics"]) {
    await page.getByLabel(label).setChecked(permissions.includes(label));
  }
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByLabel("New API key");
  await expect(shown).toHaveValue(/^zoc_/);
  return shown.inputValue();
}

/**
 * One sample summed over the console's instances (each scrape names its own in the
 * `console_instance` label), or NaN when no instance has the series.
 */
const valueOf = (scrapes: string[], series: string) => {
  const values = scrapes.flatMap((text) =>
    text
      .split("\n")
      .map((l) => l.replace(/,?console_instance="[^"]*"/, "").replace("{}", ""))
      .filter((l) => l.startsWith(`${series} `))
      .map((l) => Number(l.slice(series.length + 1))),
  );
  return values.length ? values.reduce((a, b) => a + b, 0) : NaN;
};

/**
 * Scrapes through the front until every instance has answered once: each counts what it served
 * (as Prometheus scrapes each instance of a fleet).
 */
async function scrapeEveryInstance(page: Page): Promise<string[]> {
  const byInstance = new Map<string, string>();
  for (let i = 0; i < 10 * E2E_INSTANCES && byInstance.size < E2E_INSTANCES; i++) {
    const res = await page.request.get("/api/metrics");
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^text\/plain/);
    const text = await res.text();
    const instance = /console_instance="([^"]+)"/.exec(text)?.[1];
    expect(instance, "every series names its instance").toBeTruthy();
    byInstance.set(instance!, text);
  }
  expect(byInstance.size).toBe(E2E_INSTANCES);
  return [...byInstance.values()];
}

test.beforeAll(async ({ browser }) => {
  const page = await (await browser.newContext({ storageState: ADMIN_STATE, baseURL: CONSOLE_URL })).newPage();
  await resetSandbox(page.request);
  const clientRef = await addSandboxDemoClient(page);
  conn = (await connectViaSandbox(page, { clientRef, scopes: ["Desk.basic.READ", "AaaServer.profile.READ"], email: MULTI_USER.email, name: "Metrics watch", desk: "Zylker Support" })).connectionId;
  await page.context().close();
});

test("the test runner on this host scrapes without a key and sees connections and refreshes", async ({ page }) => {
  const tokenKey = await createKey(page, "metrics-token-user", ["Get access tokens"]);
  await expireStoredToken(conn);
  const token = await page.request.get(`/api/v1/connections/${conn}/token`, { headers: { Authorization: `Bearer ${tokenKey}`, "X-Request-Id": "e2e-metrics-1" } });
  expect(token.status()).toBe(200);
  expect(token.headers()["x-request-id"]).toBe("e2e-metrics-1");
  expect((await token.json()).refreshed).toBe(true);

  const scrapes = await scrapeEveryInstance(page);
  for (const text of scrapes) expect(text).toContain("# TYPE zoho_console_connections gauge");
  // The connection counts come from the database: every instance sees them all.
  for (const text of scrapes) expect(valueOf([text], 'zoho_console_connections{status="active"}')).toBeGreaterThanOrEqual(1);
  expect(valueOf(scrapes, 'zoho_console_token_refreshes_total{trigger="api",outcome="success"}')).toBeGreaterThanOrEqual(1);
  expect(valueOf(scrapes, 'zoho_console_api_requests_total{route="token",outcome="ok"}')).toBeGreaterThanOrEqual(1);
  for (const text of scrapes) expect(valueOf([text], "zoho_console_process_cpu_seconds_total")).toBeGreaterThan(0);
  // A key with other permissions is checked, and refused, even from this host.
  const wrong = await page.request.get("/api/metrics", { headers: { Authorization: `Bearer ${tokenKey}` } });
  expect(wrong.status()).toBe(403);
  expect(await wrong.json()).toMatchObject({ error: { code: "forbidden" } });
});

test("a metrics-only key is made without connections and scrapes; other addresses need it", async ({ page }) => {
  await page.goto("/settings/api-keys");
  for (const label of ["Read connections", "Get access tokens", "Call Zoho through the console"]) await page.getByLabel(label).uncheck();
  await page.getByLabel("Read metrics").check();
  await expect(page.getByText("A key that only reads metrics uses no connection")).toBeVisible();
  await expect(page.getByLabel("All connections")).toBeDisabled();
  const key = await createKey(page, "prometheus", ["Read metrics"]);
  await page.goto("/settings/api-keys");
  await expect(page.getByRole("row").filter({ hasText: "prometheus" })).toContainText("No connections (metrics only)");

  const withKey = await page.request.get("/api/metrics", { headers: { Authorization: `Bearer ${key}` } });
  expect(withKey.status()).toBe(200);
  expect(await withKey.text()).toContain("zoho_console_token_refreshes_total");
  const notAllowed = await page.request.get(`/api/v1/connections/${conn}/token`, { headers: { Authorization: `Bearer ${key}` } });
  expect(notAllowed.status()).toBe(403);

  // Behind a trusted proxy every socket the console sees is the proxy's, often this host's own
  // loopback, so the address the proxy reports decides. The e2e console trusts one hop (the
  // round-robin front's is counted too): the last X-Forwarded-For entry stands for what the
  // proxy appended, here a caller elsewhere (TEST-NET-3), while the request itself still comes
  // over loopback. A caller's own 127.0.0.1 before it, X-Real-Ip, or a peer header counts for
  // nothing; the key lets that caller in.
  const elsewhere = "203.0.113.7";
  const forged = { "X-Forwarded-For": `127.0.0.1, ${elsewhere}`, "X-Real-Ip": "127.0.0.1", "X-Zoho-Console-Peer": "127.0.0.1" };
  const refused = await page.request.get("/api/metrics", { headers: forged });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ error: { code: "unauthorized" } });
  expect((await page.request.get("/api/metrics", { headers: { ...forged, Authorization: `Bearer ${key}` } })).status()).toBe(200);
});
