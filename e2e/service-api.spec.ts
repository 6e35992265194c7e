// The token API and Zoho proxy for services, against the production build and the sandbox:
// keys made in the UI, then used as a service would use them.
import http from "node:http";
import { expect, test, type APIRequestContext, type Page, type Request } from "@playwright/test";
import { MULTI_USER, SEED_ORGS } from "../sandbox/seed";
import { addSandboxDemoClient, connectViaSandbox, resetSandbox, expireStoredToken } from "./connect-helpers";
import { ADMIN_STATE, CONSOLE_PORT, CONSOLE_URL, SANDBOX_URL } from "./env";

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const SCOPES = ["Desk.tickets.ALL", "Desk.basic.READ", "SalesIQ.portals.READ", "SalesIQ.chatdetails.READ", "AaaServer.profile.READ"];

let clientRef: number;
let conn: number;
let other: number;

interface KeyOptions {
  name: string;
  chosen?: string[];
  permissions?: { read?: boolean; token?: boolean; proxy?: boolean };
  rate?: number;
}

/** Creates a key through Settings → API keys and returns it as the page shows it, once. */
async function createKey(page: Page, o: KeyOptions): Promise<string> {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill(o.name);
  if (o.chosen) {
    await page.getByLabel("Chosen connections").check();
    const find = page.getByRole("combobox", { name: "Find connections" });
    for (const name of o.chosen) {
      await find.fill(name);
      await page.getByRole("listbox", { name: "Matching connections" }).getByRole("option", { name, exact: true }).click();
      await expect(page.getByRole("list", { name: "Connections chosen for the key" }).getByText(name, { exact: true })).toBeVisible();
    }
  } else {
    await page.getByLabel("All connections").check();
  }
  const perms = { read: true, token: true, proxy: false, ...o.permissions };
  await page.getByLabel("Read connections").setChecked(perms.read);
  await page.getByLabel("Get access tokens").setChecked(perms.token);
  await page.getByLabel("Call Zoho through the console").setChecked(perms.proxy);
  if (o.rate) await page.getByLabel("Rate limit per minute (optional)").fill(String(o.rate));
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByLabel("New API key");
  await expect(shown).toHaveValue(/^zoc_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByText("Copy it now: it will not be shown again.")).toBeVisible();
  // Shown once, in a dialog that has the focus, with a command that works as it stands.
  await expect(page.getByRole("dialog", { name: `API key “${o.name}” created` })).toBeVisible();
  await expect(shown).toBeFocused();
  const key = await shown.inputValue();
  await expect(page.getByTestId("new-api-key-curl")).toContainText(`curl -s -H "Authorization: Bearer ${key}" "${CONSOLE_URL}/api/v1/connections`);
  return key;
}

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const getToken = (request: APIRequestContext, key: string, id: number, q = "") =>
  request.get(`/api/v1/connections/${id}/token${q}`, { headers: bearer(key) });
const refreshMints = async (request: APIRequestContext) =>
  (await (await request.get(`${SANDBOX_URL}/_sandbox/counters`)).json()).tokensMinted.refresh_token as number;

/** A request sent byte for byte, without a client normalising its path first. */
function rawGet(path: string, key: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "localhost", port: CONSOLE_PORT, path, method: "GET", headers: bearer(key) }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test.beforeAll(async ({ browser }) => {
  const page = await (await browser.newContext({ storageState: ADMIN_STATE, baseURL: CONSOLE_URL })).newPage();
  await resetSandbox(page.request);
  clientRef = await addSandboxDemoClient(page);
  const opts = { clientRef, scopes: SCOPES, email: MULTI_USER.email, desk: "Zylker Support", salesiq: "Zylker Chat" };
  conn = (await connectViaSandbox(page, { ...opts, name: "Billing sync" })).connectionId;
  other = (await connectViaSandbox(page, { ...opts, name: "Other team" })).connectionId;
  await page.context().close();
});

test("an admin creates a key, copies it, and a service uses it until it is revoked", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await createKey(page, { name: "billing-sync", chosen: ["Billing sync"] });
  // A key for chosen connections gets a ready token call for one of them.
  await expect(page.getByTestId("new-api-key-curl")).toContainText(`/api/v1/connections/${conn}/token"`);
  await page.getByRole("button", { name: "Copy", exact: true }).click();
  await expect(page.getByRole("button", { name: "Copied", exact: true })).toBeVisible();
  const key = await page.evaluate(() => navigator.clipboard.readText());
  expect(key).toMatch(/^zoc_/);
  // Escape does not throw the key away; the button does.
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "API key “billing-sync” created" })).toBeVisible();
  await page.getByRole("button", { name: "I have copied it, hide the key" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByLabel("New API key")).toHaveCount(0);

  const res = await getToken(page.request, key, conn);
  expect(res.status()).toBe(200);
  const token = await res.json();
  expect(token.services.desk.headers).toEqual({ orgId: SEED_ORGS.deskZylkerSupport });
  const tickets = await page.request.get(`${token.services.desk.base_url}/tickets`, {
    headers: { Authorization: token.authorization, ...token.services.desk.headers },
  });
  expect(tickets.status()).toBe(200);
  expect((await tickets.json()).data.length).toBeGreaterThan(0);

  // Counted by the instance that answered and written within a second: with several instances
  // behind the front, the page may come from another one that has not seen the count yet.
  await expect(async () => {
    await page.goto(`/connections/${conn}`);
    await expect(page.getByRole("table", { name: "API consumers" }).getByRole("row").filter({ hasText: "billing-sync" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });

  await page.goto("/settings/api-keys");
  const row = page.getByRole("row").filter({ hasText: "billing-sync" });
  await expect(row).toContainText("1 connection");
  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  const after = await getToken(page.request, key, conn);
  expect(after.status()).toBe(401);
  expect(await after.json()).toMatchObject({ error: { code: "unauthorized" } });
});

test("keys are refused with the stable errors: 401, 403, 400", async ({ page }) => {
  const limited = await createKey(page, { name: "limited", chosen: ["Billing sync"] });
  const readOnly = await createKey(page, { name: "read-only", permissions: { token: false } });
  const noKey = await page.request.get(`/api/v1/connections/${conn}/token`);
  expect(noKey.status()).toBe(401);
  // JSON for machines: the console's fixed security headers, no per-request page nonce.
  expect(noKey.headers()["x-content-type-options"]).toBe("nosniff");
  expect(noKey.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(noKey.headers()["content-security-policy"]).not.toContain("nonce-");
  expect((await page.request.get(`/api/v1/connections`, { headers: bearer(`zoc_${"x".repeat(43)}`) })).status()).toBe(401);
  const elsewhere = await getToken(page.request, limited, other);
  expect([elsewhere.status(), (await elsewhere.json()).error.code]).toEqual([403, "forbidden"]);
  expect((await getToken(page.request, readOnly, conn)).status()).toBe(403);
  expect((await page.request.get(`/api/v1/connections/${conn}`, { headers: bearer(readOnly) })).status()).toBe(200);
  const bad = await getToken(page.request, limited, conn, "?min_validity=nope");
  expect([bad.status(), (await bad.json()).error.code]).toEqual([400, "bad_request"]);
  const listed = await (await page.request.get("/api/v1/connections", { headers: bearer(limited) })).json();
  expect(listed.data.map((c: { id: number }) => c.id)).toEqual([conn]);
});

test("100 concurrent token requests on an expired token make exactly one refresh", async ({ page }) => {
  const key = await createKey(page, { name: "fleet" });
  await expireStoredToken(other);
  const before = await refreshMints(page.request);
  const answers = await Promise.all(Array.from({ length: 100 }, () => getToken(page.request, key, other)));
  expect(answers.map((r) => r.status())).toEqual(Array(100).fill(200));
  const tokens = new Set(await Promise.all(answers.map(async (r) => (await r.json()).access_token)));
  expect(tokens.size).toBe(1);
  expect((await refreshMints(page.request)) - before).toBe(1);
});

test("the proxy calls Desk and SalesIQ for the service, refuses escapes, and survives a dropped token", async ({ page }) => {
  const key = await createKey(page, { name: "proxy", permissions: { proxy: true } });
  const desk = await page.request.get(`/api/v1/connections/${conn}/proxy/desk/api/v1/tickets?limit=3`, { headers: bearer(key) });
  expect(desk.status()).toBe(200);
  expect((await desk.json()).data[0].id).toContain(SEED_ORGS.deskZylkerSupport);
  const created = await page.request.post(`/api/v1/connections/${conn}/proxy/desk/api/v1/tickets`, {
    headers: bearer(key),
    data: { subject: "Invoice question" },
  });
  expect(await created.json()).toMatchObject({ subject: "Invoice question", status: "Open" });
  const chats = await page.request.get(`/api/v1/connections/${conn}/proxy/salesiq/api/v2/${SEED_ORGS.salesiqZylkerChat}/chats`, { headers: bearer(key) });
  expect(chats.status()).toBe(200);
  expect((await chats.json()).data.length).toBeGreaterThan(0);

  for (const path of ["desk/%2F%2Fevil.example/x", "desk/..%2F..%2Fx", "desk/https:%2F%2Fevil.example/x", "desk/api/../../../../x"]) {
    const res = await rawGet(`/api/v1/connections/${conn}/proxy/${path}`, key);
    expect(res.status, path).toBeGreaterThanOrEqual(400);
    expect(res.status, path).toBeLessThan(500);
    expect(res.body, path).not.toContain("errorCode");
  }

  // Zoho drops the access token before it expires: one refresh, one retry, the call succeeds.
  const dropped = (await (await getToken(page.request, key, conn)).json()).access_token as string;
  expect((await page.request.post(`${SANDBOX_URL}/us/accounts/oauth/v2/token/revoke?token=${encodeURIComponent(dropped)}`)).ok()).toBe(true);
  const before = await refreshMints(page.request);
  const retried = await page.request.get(`/api/v1/connections/${conn}/proxy/desk/api/v1/tickets`, { headers: bearer(key) });
  expect(retried.status()).toBe(200);
  expect(retried.headers()["x-console-token-refreshed"]).toBe("true");
  expect((await refreshMints(page.request)) - before).toBe(1);
});

test("the rate limit answers 429 with Retry-After", async ({ page }) => {
  const key = await createKey(page, { name: "slow", rate: 2 });
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await page.request.get(`/api/v1/connections/${conn}`, { headers: bearer(key) })).status());
  expect(statuses).toEqual([200, 200, 429, 429]);
  const res = await page.request.get(`/api/v1/connections/${conn}`, { headers: bearer(key) });
  expect(Number(res.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
});

test("a revoked connection answers 410, one Zoho refuses answers 409", async ({ page }) => {
  const key = await createKey(page, { name: "states" });
  // Zoho's side: the user removes the app, so the next refresh is refused.
  expect((await page.request.post(`${SANDBOX_URL}/_sandbox/revoke-grants`, { data: { email: MULTI_USER.email, clientId: "1000.SANDBOXDEMOCLIENT0000000000001" } })).ok()).toBe(true);
  await expireStoredToken(other);
  const refused = await getToken(page.request, key, other);
  expect([refused.status(), (await refused.json()).error.code]).toEqual([409, "needs_reauth"]);

  await page.goto(`/connections/${conn}`);
  await page.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke at Zoho" }).click();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "revoked");
  const gone = await getToken(page.request, key, conn);
  expect([gone.status(), (await gone.json()).error.code]).toEqual([410, "revoked"]);
});

test("the API docs render the OpenAPI document from bundled files", async ({ page }) => {
  const external: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(CONSOLE_URL)) external.push(r.url());
  });
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { level: 1, name: "API for services" })).toBeVisible();
  await expect(page.getByText("/api/v1/connections/{id}/token").first()).toBeVisible();
  const doc = await (await page.request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  expect(external).toEqual([]);
});

test("list polling answers 304 while nothing changed, and a hidden tab stops polling", async ({ page }) => {
  // The ETag also turns with the minute (statuses follow the clock): a second try covers a
  // request pair that straddles a minute boundary.
  let etag = "";
  let again;
  for (let attempt = 0; attempt < 2; attempt++) {
    const first = await page.request.get("/api/connections");
    expect(first.status()).toBe(200);
    etag = first.headers()["etag"];
    expect(etag).toBeTruthy();
    again = await page.request.get("/api/connections", { headers: { "If-None-Match": etag } });
    if (again.status() === 304) break;
  }
  expect(again!.status()).toBe(304);
  expect(await again!.text()).toBe("");
  const other = await page.request.get("/api/connections?status=revoked", { headers: { "If-None-Match": etag } });
  expect(other.status()).toBe(200);

  // The page's timers run on Playwright's clock, so the polls are driven, not waited for.
  const POLL_MS = 5_000; // LIST_POLL_MS in components/connections/connections-table.tsx
  await page.clock.install();
  const polls: string[] = [];
  let pending = 0;
  const isPoll = (r: Request) => new URL(r.url()).pathname === "/api/connections";
  const settled = (r: Request) => {
    if (isPoll(r)) pending--;
  };
  page.on("request", (r) => {
    if (!isPoll(r)) return;
    polls.push(r.url());
    pending++;
  });
  page.on("requestfinished", settled);
  page.on("requestfailed", settled);
  await page.goto("/connections");
  // Visible, it polls: each try moves the clock one interval on (the first ones may land before hydration).
  await expect.poll(async () => {
    await page.clock.runFor(POLL_MS);
    return polls.length;
  }).toBeGreaterThan(0);
  // A poll still under way would swallow the next ones (the query does not start a second fetch
  // while one runs), so the hidden tab's silence below would prove nothing.
  await expect.poll(() => pending).toBe(0);
  await page.evaluate(() => undefined);
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  const before = polls.length;
  await page.clock.runFor(3 * POLL_MS);
  // A request the page makes after the clock ran arrives after any poll it made while it ran.
  const marker = page.waitForRequest((r) => new URL(r.url()).pathname === "/api/health");
  await page.evaluate(() => fetch("/api/health"));
  await marker;
  expect(polls.length).toBe(before);
});
