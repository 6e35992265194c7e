// Token status, refresh and revoke against the sandbox. The console must run with a short
// refresher interval (CONSOLE_REFRESHER_INTERVAL_MS=2000) for the background-refresh test.
import { expect, test, type Page } from "@playwright/test";
import { DEMO_CLIENT_ID, SINGLE_USER } from "../sandbox/seed";
import { addSandboxDemoClient, connectViaSandbox, resetSandbox, sandboxAccessTokens } from "./connect-helpers";
import { ADMIN_STATE, CONSOLE_URL, SANDBOX_URL } from "./env";
import { signIn, uniqueEmail } from "./helpers";
import { captureServerAction, replayServerAction } from "./server-action";

const EMAIL = SINGLE_USER.email;
// Desk.basic.READ because the connection binds a Desk organisation, as a real user's would.
const SCOPES = ["Desk.tickets.READ", "Desk.basic.READ", "AaaServer.profile.READ"];

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

let clientRef: number;

test.beforeEach(async ({ page, request }) => {
  await resetSandbox(request);
  clientRef ??= await addSandboxDemoClient(page);
});

async function connect(page: Page, name: string): Promise<number> {
  const { connectionId } = await connectViaSandbox(page, { clientRef, scopes: SCOPES, name, email: EMAIL, desk: "Ben" });
  await page.goto(`/connections/${connectionId}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "active");
  return connectionId;
}

const status = (page: Page) => page.getByTestId("connection-status");
const sandbox = (page: Page, path: string, data?: unknown) => page.request.post(`${SANDBOX_URL}/_sandbox/${path}`, { data });

async function last4(page: Page): Promise<string> {
  const text = await page.getByText(/^Access token ••••/).textContent();
  return /••••(\S{4})/.exec(text ?? "")![1];
}

test("Refresh now moves the expiry and the list shows the connection live", async ({ page }) => {
  const name = `refresh-${Date.now()}`;
  const id = await connect(page, name);
  const before = await page.getByTestId("token-expires-at").textContent();
  expect(before).toMatch(/\d/);
  const oldLast4 = await last4(page);
  await page.waitForTimeout(1100); // expiries are shown to the second
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByText("Refreshed: a new access token is stored.")).toBeVisible();
  await expect(page.getByTestId("token-expires-at")).not.toHaveText(before!);
  expect(await last4(page)).not.toBe(oldLast4);
  await expect(page.getByTestId("mint-budget")).toHaveText(/^1 of 10/);

  // Other specs leave many connections behind; search keeps this one on the first page.
  await page.goto(`/connections?q=${encodeURIComponent(name)}`);
  const row = page.getByTestId(`connection-row-${id}`);
  await expect(row.getByTestId("connection-status")).toHaveAttribute("data-status", "active");
  await expect(row).toContainText(EMAIL);
  await expect(row).toContainText(/\d+:\d\d left/);
});

test("after the sandbox clock passes expiry, the background refresher renews the token without a reload", async ({ page }) => {
  await connect(page, `background-${Date.now()}`);
  // A token just over the refresher's five-minute margin, so it falls due a few seconds from now.
  await sandbox(page, "limits", { accessTokenLifetimeSec: 305 });
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByTestId("token-countdown")).toHaveText(/^[45]:\d\d left$/);
  await sandbox(page, "limits", { accessTokenLifetimeSec: 3600 });
  const shortLast4 = await last4(page);
  const matching = (await sandboxAccessTokens(EMAIL)).filter((t) => t.endsWith(shortLast4));
  expect(matching).toHaveLength(1);
  const shortToken = matching[0];

  await sandbox(page, "clock", { advanceSeconds: 310 });
  const dead = await page.request.get(`${SANDBOX_URL}/us/desk/api/v1/organizations`, { headers: { Authorization: `Zoho-oauthtoken ${shortToken}` } });
  expect(await dead.json()).toMatchObject({ errorCode: "INVALID_OAUTH" });

  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  await expect(page.getByTestId("token-countdown")).toHaveText(/^(5\d|60):\d\d left$/, { timeout: 30_000 });
  expect(await last4(page)).not.toBe(shortLast4);
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  // The server-rendered timeline follows too: consent, manual and background tokens.
  const lives = page.getByTestId("token-timeline-table").getByTestId("token-life-row");
  await expect(lives).toHaveCount(3);
  await expect(lives.nth(1)).toHaveAttribute("data-end-reason", "replaced");
  await expect(lives.nth(2)).toHaveAttribute("data-end-reason", "current");
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

  await page.goto("/");
  await expect(page.getByTestId("refresher-last-run")).toContainText(/refreshed/);
});

test("a grant revoked on Zoho's side shows needs re-authorization with its reason", async ({ page }) => {
  const id = await connect(page, `zoho-revoked-${Date.now()}`);
  await sandbox(page, "revoke-grants", { email: EMAIL, clientId: DEMO_CLIENT_ID });
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(status(page)).toHaveAttribute("data-status", "needs_reauth");
  await expect(status(page)).toHaveText("Needs re-authorization");
  await expect(page.getByTestId("status-reason")).toContainText("revoked at Zoho");
  await expect(page.getByTestId("last-error")).toContainText("Reconnect to authorize again");
  await expect(page.getByRole("link", { name: "Reconnect" })).toHaveAttribute("href", `/connections/${id}/reconnect`);
  // A token Zoho no longer accepts has no countdown and no expiry to show.
  await expect(page.getByTestId("token-countdown")).toHaveText("not accepted by Zoho");
  await expect(page.getByTestId("token-expires-at")).toHaveCount(0);
  // The timeline marks Zoho's refusal and ends the token with it.
  await expect(page.locator('[data-testid="timeline-marker-row"][data-kind="reauth"]')).toContainText("Zoho refused the refresh token");
  await expect(page.getByTestId("token-life-row").last()).toHaveAttribute("data-end-reason", "invalid_code");

  await page.goto("/");
  await expect(page.getByTestId("needs-attention")).toContainText(`zoho-revoked-`);
});

test("Revoke kills the token at the sandbox, wipes it here and keeps the connection", async ({ page }) => {
  const name = `revoke-${Date.now()}`;
  await connect(page, name);
  const shown = await last4(page);
  const mine = (await sandboxAccessTokens(EMAIL)).find((t) => t.endsWith(shown))!;
  const alive = await page.request.get(`${SANDBOX_URL}/us/desk/api/v1/organizations`, { headers: { Authorization: `Zoho-oauthtoken ${mine}` } });
  expect(alive.status()).toBe(200);

  await page.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke ${name}?` });
  await expect(dialog).toContainText("/us/accounts");
  await dialog.getByRole("button", { name: "Revoke at Zoho" }).click();
  await expect(page.getByText("Revoked at Zoho; the stored tokens were wiped.")).toBeVisible();
  await expect(status(page)).toHaveAttribute("data-status", "revoked");
  await expect(page.getByRole("button", { name: "Refresh now" })).toHaveCount(0);
  await expect(page.getByTestId("token-countdown")).toHaveText("wiped");
  await expect(page.getByTestId("token-expires-at")).toHaveCount(0);

  const dead = await page.request.get(`${SANDBOX_URL}/us/desk/api/v1/organizations`, { headers: { Authorization: `Zoho-oauthtoken ${mine}` } });
  expect(dead.status()).toBe(401);
  expect(await dead.json()).toMatchObject({ errorCode: "INVALID_OAUTH" });
});

test("a throttled connection says when it can refresh again", async ({ page }) => {
  await connect(page, `throttled-${Date.now()}`);
  await sandbox(page, "faults", { token: { throttle: true, count: 1 } });
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(status(page)).toHaveAttribute("data-status", "throttled");
  await expect(page.getByTestId("refresh-possible-at")).toContainText(/Can refresh again at .+\(in (9|10) min\)/);
  // The counter agrees with Zoho's refusal, though the console itself minted fewer tokens.
  await expect(page.getByTestId("mint-budget")).toContainText(/^10 of 10 at Zoho · next possible in (9|10) min/);
  await expect(page.getByTestId("mint-budget")).toContainText(/\d of them made through this console/);
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByText(/^Zoho is throttling this refresh token. It can refresh again in (9|10) min/)).toBeVisible();
});

test("a viewer sees the connection without action buttons and the server refuses its direct request", async ({ page, browser }) => {
  const id = await connect(page, `viewer-${Date.now()}`);
  const action = await captureServerAction(page, () => page.getByRole("button", { name: "Refresh now" }).click());

  const viewerEmail = uniqueEmail("viewer");
  await page.goto("/settings/users");
  await page.getByLabel("Name").fill("Token viewer");
  await page.getByLabel("Email").fill(viewerEmail);
  await page.getByLabel("Initial password").fill("viewer-password-1");
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByTestId(`user-row-${viewerEmail}`)).toBeVisible();

  const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: { cookies: [], origins: [] } });
  const viewer = await ctx.newPage();
  await signIn(viewer, viewerEmail, "viewer-password-1");
  await expect(viewer.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await viewer.goto(`/connections/${id}`);
  await expect(viewer.getByTestId("connection-status")).toBeVisible();
  await expect(viewer.getByText(/^Access token ••••/)).toBeVisible();
  for (const name of ["Refresh now", "Verify", "Revoke"]) await expect(viewer.getByRole("button", { name })).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "Reconnect" })).toHaveCount(0);

  const before = await viewer.getByTestId("token-expires-at").textContent();
  const replay = await replayServerAction(viewer.request, action);
  expect(replay.text).toContain("Your role does not allow this action.");
  const json = await viewer.request.get(`/api/connections/${id}`);
  expect(json.status()).toBe(200);
  expect(await json.text()).not.toMatch(/1000\.[0-9a-f]{10,}/);
  await viewer.reload();
  await expect(viewer.getByTestId("token-expires-at")).toHaveText(before ?? "");
  await ctx.close();
});

test("Verify calls the bound service and shows result and latency", async ({ page }) => {
  await connect(page, `verify-${Date.now()}`);
  await page.getByRole("button", { name: "Verify" }).click();
  const results = page.getByTestId("verify-results");
  // Body rows only: the header row has column headers, not cells.
  const rows = results.getByRole("row").filter({ has: page.getByRole("cell") });
  const row = (service: string) => rows.filter({ has: page.getByRole("cell", { name: service, exact: true }) });
  // A failed check shows the same words ("organisation", a latency), so each row must say OK.
  await expect(rows).toHaveCount(2); // Desk and the profile scope the connect flow adds
  await expect(row("Desk").getByRole("cell").nth(1)).toHaveText(/^\s*OK\s+\d+ organisations? visible\s*$/);
  await expect(row("Desk").getByRole("cell").nth(2)).toHaveText(/^\s*\d+ ms\s*$/);
  await expect(row("Profile").getByRole("cell").nth(1)).toHaveText(`OK Signed in as ${EMAIL}`);
  await expect(row("Profile").getByRole("cell").nth(2)).toHaveText(/^\s*\d+ ms\s*$/);
  await expect(results.getByText("Failed", { exact: true })).toHaveCount(0);
});
