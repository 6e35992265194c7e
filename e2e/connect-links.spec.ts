// Connect links, with two browser contexts: an operator shares a link; the Zoho account's owner,
// with no console cookies, opens it, consents at the sandbox and picks the organisations; the
// connection then works through /api/v1. Then the ends a link can come to: used, expired,
// revoked, and a reconnect link completed by the wrong Zoho user.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO_CLIENT_ID, MULTI_USER, SINGLE_USER } from "../sandbox/seed";
import { seriousAxeViolations } from "./axe";
import { leaveConsoleEmpty, type MadeBySpec } from "./clean-up";
import { addSandboxDemoClient, completeConsent, DEMO_CLIENT_NAME, resetSandbox } from "./connect-helpers";
import { consoleQuery, expireConnectLink } from "./console-db";
import { ADMIN_STATE, CONSOLE_URL, SANDBOX_URL } from "./env";

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const made: Required<Pick<MadeBySpec, "keyIds" | "connectionIds" | "clientRefs">> = { keyIds: [], connectionIds: [], clientRefs: [] };
let clientRef: number;
let connectionId: number;
let clientSecret: string;

const LINK = /\/connect\/[A-Za-z0-9_-]{43}$/;

/** Connections → Share a connect link, filled in and created: the link as shown, once. */
async function shareLink(page: Page, name: string, opts: { expectedEmail?: string } = {}): Promise<{ url: string; id: number }> {
  await page.goto("/connections");
  await page.getByRole("link", { name: "Share a connect link" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Share a connect link" })).toBeVisible();
  await page.getByRole("radio", { name: new RegExp(`^${DEMO_CLIENT_NAME}`) }).check();
  const picker = page.getByRole("group", { name: "Scopes", exact: true });
  for (const scope of ["Desk.basic.READ", "SalesIQ.portals.READ"]) {
    await picker.getByLabel("Search scopes").fill(scope);
    await picker.getByRole("checkbox", { name: scope, exact: true }).check();
  }
  await page.getByLabel("Connection name").fill(name);
  if (opts.expectedEmail) await page.getByLabel("Zoho user's e-mail (optional)").fill(opts.expectedEmail);
  await page.getByRole("button", { name: "Create link" }).click();
  const shown = page.getByLabel("Connect link", { exact: true });
  await expect(shown).toHaveValue(LINK);
  return { url: await shown.inputValue(), id: await newestLinkId() };
}

async function newestLinkId(): Promise<number> {
  const [row] = await consoleQuery<{ id: number }>("select id from connect_links order by id desc limit 1");
  return Number(row.id);
}

/** A context with no console cookies at all: the Zoho account's owner. */
async function ownerPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: { cookies: [], origins: [] } });
  return ctx.newPage();
}

/**
 * What the owner's pages link to, and what they send forms to: only their own pages and Zoho
 * (the sandbox), never a console page; and no secret or other connection in the HTML.
 */
async function expectNothingOfTheConsole(page: Page, what: string) {
  const targets = await page.evaluate(() => [
    ...[...document.querySelectorAll("a[href]")].map((a) => (a as HTMLAnchorElement).href),
    ...[...document.querySelectorAll("form[action]")].map((f) => (f as HTMLFormElement).action),
  ]);
  for (const target of targets) {
    const url = new URL(target, CONSOLE_URL);
    const own = url.origin === new URL(CONSOLE_URL).origin && (url.pathname.startsWith("/connect/") || url.pathname === new URL(page.url()).pathname);
    expect(own || url.origin === new URL(SANDBOX_URL).origin || url.protocol === "mailto:", `${what} links to ${target}`).toBe(true);
  }
  const html = await page.content();
  expect(html, what).not.toContain(clientSecret);
  for (const path of ["/connections", "/clients", "/settings", "/audit"]) expect(html, `${what} names ${path}`).not.toContain(`href="${path}`);
  expect.soft(await seriousAxeViolations(page), `axe on ${what}`).toEqual([]);
}

test("an owner without a console account authorizes through a link and picks the organisations", async ({ page, browser, request }) => {
  test.setTimeout(180_000);
  await resetSandbox(request);
  clientRef = await addSandboxDemoClient(page);
  made.clientRefs.push(clientRef);
  clientSecret = ((await (await request.get(`${SANDBOX_URL}/_sandbox/clients/${DEMO_CLIENT_ID}`)).json()) as { clientSecret: string }).clientSecret;

  const link = await shareLink(page, "Acme desk through a link");
  await page.goto("/connect-links");
  await expect(page.getByTestId(`connect-link-row-${link.id}`)).toContainText("Waiting");

  const owner = await ownerPage(browser);
  const landing = await owner.goto(link.url);
  expect(landing?.headers()["referrer-policy"]).toBe("no-referrer");
  expect(landing?.headers()["x-robots-tag"]).toContain("noindex");
  expect(landing?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await expect(owner.getByRole("heading", { level: 1, name: /asks for access to your Zoho account/ })).toBeVisible();
  await expect(owner.getByText("Desk.basic.READ")).toBeVisible();
  await expectNothingOfTheConsole(owner, "the landing page");
  // Opening consumes nothing: the creator sees it opened, still usable.
  await expect(page.getByTestId(`connect-link-row-${link.id}`)).toContainText("Opened", { timeout: 15_000 });

  // Zoho is told only what the link fixed, whatever the form sends along.
  await owner.evaluate(() => {
    const form = [...document.querySelectorAll("form")].find((f) => f.textContent?.includes("Continue to Zoho"))!;
    for (const [name, value] of [["scope", "ZohoCRM.modules.ALL"], ["client_id", "1000.FORGED"], ["access_type", "online"], ["redirect_uri", "https://evil.example/cb"]]) {
      const input = document.createElement("input");
      Object.assign(input, { type: "hidden", name, value });
      form.appendChild(input);
    }
  });
  const toZoho = owner.waitForRequest((r) => r.url().startsWith(SANDBOX_URL) && r.url().includes("/oauth/v2/auth"));
  await owner.getByRole("button", { name: "Continue to Zoho" }).click();
  const consent = new URL((await toZoho).url());
  expect(consent.searchParams.get("scope")).toBe("Desk.basic.READ,SalesIQ.portals.READ,AaaServer.profile.READ");
  expect(consent.searchParams.get("client_id")).toBe(DEMO_CLIENT_ID);
  expect(consent.searchParams.get("access_type")).toBe("offline");
  expect(consent.searchParams.get("redirect_uri")).toBe(`${CONSOLE_URL}/api/oauth/callback`);

  await completeConsent(owner, { email: MULTI_USER.email });
  await owner.waitForURL(/\/connect\/organisation\/\d+$/);
  await expect(owner.getByRole("heading", { level: 1, name: "Access granted — one more step" })).toBeVisible();
  await expectNothingOfTheConsole(owner, "the organisation page");
  await owner.getByRole("group", { name: "Desk organisation" }).getByLabel("Zylker Labs", { exact: false }).first().check();
  await owner.getByRole("group", { name: "SalesIQ portal" }).getByLabel("Zylker Labs Chat", { exact: false }).first().check();
  await owner.getByRole("button", { name: "Save binding" }).click();
  await owner.waitForURL(/\/connect\/done\/\d+$/);
  await expect(owner.getByRole("heading", { level: 1, name: "Done — access was granted" })).toBeVisible();
  await expect(owner.getByText(`Authorized as ${MULTI_USER.email}.`)).toBeVisible();
  await expectNothingOfTheConsole(owner, "the done page");

  // The creator's list says so without a reload, with the Zoho user and the connection.
  const row = page.getByTestId(`connect-link-row-${link.id}`);
  await expect(row).toContainText("Completed", { timeout: 15_000 });
  await expect(row).toContainText(MULTI_USER.email);
  const href = await row.getByRole("link", { name: "Acme desk through a link" }).last().getAttribute("href");
  connectionId = Number(/\/connections\/(\d+)/.exec(href ?? "")![1]);
  made.connectionIds.push(connectionId);

  // The connection is bound as the owner picked, and its history names them.
  await page.goto(`/connections/${connectionId}`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", /active|expiring/);
  await expect(page.getByText("Zylker Labs Chat").first()).toBeVisible();
  await expect(page.getByTestId("connection-history")).toContainText(`authorized through a connect link by ${MULTI_USER.email}`);

  // It works through /api/v1.
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill("Connect link key");
  await page.getByLabel("All connections").check();
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByLabel("New API key").inputValue();
  expect(key).toMatch(/^zoc_/);
  await page.goto("/settings/api-keys");
  made.keyIds.push(Number(/\/settings\/api-keys\/(\d+)/.exec((await page.getByRole("link", { name: "Connect link key" }).first().getAttribute("href")) ?? "")![1]));
  const token = await request.get(`/api/v1/connections/${connectionId}/token`, { headers: { Authorization: `Bearer ${key}` } });
  expect(token.status()).toBe(200);
  const body = (await token.json()) as { services: { desk?: { organisation: string }; salesiq?: { portal: string } } };
  expect(body.services.desk?.organisation).toBe("Zylker Labs");
  expect(body.services.salesiq?.portal).toBe("Zylker Labs Chat");

  // The same link again, in the owner's browser or any other: used.
  await owner.goto(link.url);
  await expect(owner.getByRole("heading", { level: 1, name: "This link has already been used" })).toBeVisible();
  const stranger = await ownerPage(browser);
  await stranger.goto(link.url);
  await expect(stranger.getByRole("heading", { level: 1, name: "This link has already been used" })).toBeVisible();
  // The organisation page is the completing browser's only.
  await stranger.goto(`/connect/organisation/${link.id}`);
  await expect(stranger.getByRole("heading", { level: 1, name: "Nothing to show in this browser" })).toBeVisible();
  await expect(stranger.getByRole("group", { name: "Desk organisation" })).toHaveCount(0);
  await owner.context().close();
  await stranger.context().close();
});

test("an expired link and a revoked link each say so, and the list agrees", async ({ page, browser }) => {
  const expiring = await shareLink(page, "Link that runs out");
  const revoking = await shareLink(page, "Link taken back");
  await expireConnectLink(expiring.id);

  await page.goto("/connect-links");
  const row = page.getByTestId(`connect-link-row-${revoking.id}`);
  await row.getByRole("button", { name: /^Revoke/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke link" }).click();
  await expect(row).toContainText("Revoked");

  const owner = await ownerPage(browser);
  await owner.goto(expiring.url);
  await expect(owner.getByRole("heading", { level: 1, name: "This link has expired" })).toBeVisible();
  await expectNothingOfTheConsole(owner, "the expired page");
  await owner.goto(revoking.url);
  await expect(owner.getByRole("heading", { level: 1, name: "This link was withdrawn" })).toBeVisible();
  // Continue on an ended link starts nothing.
  const res = await owner.request.post(`${revoking.url}/continue`, { maxRedirects: 0 });
  expect(res.status()).toBe(303);
  expect(res.headers()["location"]).not.toContain(SANDBOX_URL);
  await owner.context().close();

  await page.reload();
  await expect(page.getByTestId(`connect-link-row-${expiring.id}`)).toContainText("Expired");
});

test("a reconnect link completed by another Zoho user is refused and leaves the connection untouched", async ({ page, browser, request }) => {
  test.setTimeout(120_000);
  // Zoho no longer accepts the connection's refresh token.
  await request.post(`${SANDBOX_URL}/_sandbox/revoke-grants`, { data: { email: MULTI_USER.email, clientId: DEMO_CLIENT_ID } });
  await page.goto(`/connections/${connectionId}`);
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "needs_reauth");
  const before = await consoleQuery<{ refresh: string }>("select refresh_token_enc as refresh from connections where id = ?", [connectionId]);

  await page.getByRole("button", { name: "Reconnect link" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: /Create/ }).click();
  const url = await dialog.getByLabel("Connect link", { exact: true }).inputValue();
  expect(url).toMatch(LINK);

  const owner = await ownerPage(browser);
  await owner.goto(url);
  await owner.getByRole("button", { name: "Continue to Zoho" }).click();
  await completeConsent(owner, { email: SINGLE_USER.email });
  await owner.waitForURL(/\/connect\/done\/\d+$/);
  await expect(owner.getByRole("heading", { level: 1 })).not.toHaveText("Done — access was granted");
  await expect(owner.getByText(/Ask .*who sent you the link/)).toBeVisible();
  await owner.context().close();

  await page.reload();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "needs_reauth");
  const after = await consoleQuery<{ refresh: string }>("select refresh_token_enc as refresh from connections where id = ?", [connectionId]);
  expect(after).toEqual(before);
  await page.goto("/connect-links");
  const newest = page.getByTestId(`connect-link-row-${await newestLinkId()}`);
  await expect(newest).toContainText("Failed");
});

test.afterAll(async ({ browser }) => {
  // Leave the console as later specs expect it: no client, no connection, no live key.
  await leaveConsoleEmpty(browser, made);
});
