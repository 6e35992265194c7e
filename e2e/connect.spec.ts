// One-click authorization against the sandbox: wizard → Zoho consent → callback → org binding,
// and every way it can fail, each explained and leaving no connection behind.
import { expect, test, type Page } from "@playwright/test";
import { EU_USER, MULTI_USER, SELF_CLIENT_ID, SINGLE_USER } from "../sandbox/seed";
import {
  addSandboxDemoClient,
  addSandboxSelfClient,
  CALLBACK_URL,
  completeConsent,
  connectViaSandbox,
  consoleDbBytes,
  DEMO_CLIENT_NAME,
  expectScopesGranted,
  finishAtConsole,
  holdCallback,
  openWizard,
  resetSandbox,
  sandboxAccessTokens,
  sandboxRefreshTokens,
} from "./connect-helpers";
import { consoleQuery, retireConnectionsOf } from "./console-db";
import { ADMIN_STATE, SANDBOX_URL } from "./env";

test.use({ storageState: ADMIN_STATE });

const connectionCount = async () => (await consoleQuery<{ n: number }>("select count(*) as n from connections"))[0].n;

let demo = 0;

test.beforeEach(async ({ page, request }) => {
  await resetSandbox(request);
  demo = await addSandboxDemoClient(page);
});

/** Starts an authorization and stops when the sandbox is about to call the console back. */
async function heldCallback(page: Page, email: string, decision: "accept" | "deny" = "accept") {
  await openWizard(page, { clientRef: demo, scopes: ["Desk.basic.READ"], name: `Held ${Date.now()}` });
  const held = await holdCallback(page);
  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await completeConsent(page, { email, decision });
  await expect(page.getByRole("heading", { name: "Callback held" })).toBeVisible();
  return { url: await held.url, release: held.release };
}

test("Desk + SalesIQ for a user with two Desk organisations: consent, org picker, bound, tokens encrypted", async ({ page, request }) => {
  await openWizard(page, { clientRef: demo, scopes: ["Desk.basic.READ", "SalesIQ.portals.READ"], name: "Ada support desk" });
  await expect(page.getByText("added by the console")).toBeVisible();
  await expect(page.getByLabel(/Add AaaServer\.profile\.READ/)).toBeChecked();
  await expect(page.getByText("One hour, no refresh", { exact: false })).toBeVisible();
  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await completeConsent(page, { email: MULTI_USER.email });

  await expect(page.getByRole("heading", { level: 1, name: "Choose the organisation" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Desk organisation" }).getByRole("radio")).toHaveCount(2);
  await expect(page.getByRole("group", { name: "SalesIQ portal" }).getByRole("radio")).toHaveCount(2);
  const { connectionId } = await finishAtConsole(page, { desk: "Zylker Labs", salesiq: "Zylker Chat" });
  expect(connectionId).toBeGreaterThan(0);

  const summary = page.getByTestId("binding-summary");
  await expect(summary).toContainText("Zylker Labs (orgId 700000001002)");
  await expect(summary).toContainText("Zylker Chat (zylkerchat)");
  await expect(page.getByText(`Authorized by`)).toContainText(MULTI_USER.email);

  const refresh = await sandboxRefreshTokens(request, MULTI_USER.email);
  const access = await sandboxAccessTokens(MULTI_USER.email);
  expect(refresh.length).toBe(1);
  expect(access.length).toBeGreaterThan(0);
  const bytes = await consoleDbBytes();
  // The right database was read: its clear-text columns are there, so the absence below means something.
  expect(bytes).toContain("Ada support desk");
  for (const secret of [...refresh, ...access]) expect(bytes).not.toContain(secret);
  const html = await page.content();
  for (const secret of [...refresh, ...access]) expect(html).not.toContain(secret);
});

test("scopes picked by hand in the wizard, by scope and by API call, are the ones granted", async ({ page }) => {
  const name = "Ben tickets and chats";
  await page.goto("/connections/new");
  await expect(page.getByRole("heading", { level: 1, name: "New connection" })).toBeVisible();
  await page.getByRole("radio", { name: new RegExp(`^${DEMO_CLIENT_NAME}`) }).check();
  await page.getByLabel("Connection name").fill(name);

  const picker = page.getByRole("group", { name: "Scopes", exact: true });
  const scopeString = picker.getByTestId("scope-string");
  await expect(scopeString).toHaveText("");
  await expect(picker.getByTestId("scope-count")).toHaveText("0 scopes selected");

  // Nothing chosen: the console refuses to go to Zoho and says why, keeping what was typed.
  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Choose at least one Desk, Assist or SalesIQ scope" })).toBeVisible();
  await expect(page).toHaveURL(/\/connections\/new$/);
  await expect(page.getByLabel("Connection name")).toHaveValue(name);
  await expect(page.getByRole("radio", { name: new RegExp(`^${DEMO_CLIENT_NAME}`) })).toBeChecked();

  // By scope: search, then tick.
  await picker.getByLabel("Search scopes").fill("tickets");
  await picker.getByRole("checkbox", { name: "Desk.tickets.READ", exact: true }).check();
  await expect(scopeString).toHaveText("Desk.tickets.READ");
  await expect(page.getByRole("alert").filter({ hasText: "Choose at least one Desk, Assist or SalesIQ scope" })).toHaveCount(0);

  // By API call: the narrowest scope for what the job calls.
  await picker.getByRole("tab", { name: "By API call" }).click();
  await picker.getByLabel("Search API calls").fill("list chats");
  await picker.getByRole("button", { name: "Add SalesIQ.chatdetails.READ for Chat list" }).click();
  await expect(picker.getByRole("button", { name: "SalesIQ.chatdetails.READ added" })).toBeDisabled();
  await expect(scopeString).toHaveText("Desk.tickets.READ,SalesIQ.chatdetails.READ");

  // Each service's organisation discovery scope is one click away.
  await picker.getByRole("button", { name: "Add Desk.basic.READ" }).click();
  await picker.getByRole("button", { name: "Add SalesIQ.portals.READ" }).click();
  const picked = ["Desk.tickets.READ", "Desk.basic.READ", "SalesIQ.portals.READ", "SalesIQ.chatdetails.READ"];
  await expect(scopeString).toHaveText(picked.join(","));
  await expect(picker.getByTestId("scope-count")).toHaveText("4 scopes selected");

  // The profile scope is not in the picked string: the console adds it itself.
  await expect(page.getByText("added by the console")).toBeVisible();
  await expect(page.getByRole("checkbox", { name: /Add AaaServer\.profile\.READ/ })).toBeChecked();

  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await completeConsent(page, { email: SINGLE_USER.email });
  // One organisation of each service: bound without asking.
  const { connectionId } = await finishAtConsole(page, {});
  await expect(page.getByRole("heading", { name: `Connected: ${name}` })).toBeVisible();
  const summary = page.getByTestId("binding-summary");
  await expect(summary).toContainText("Ben's Bakery Help");
  await expect(summary).toContainText("bensbakery");

  await page.getByRole("link", { name: "Open connection" }).click();
  await expect(page).toHaveURL(new RegExp(`/connections/${connectionId}$`));
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expectScopesGranted(page, [...picked, "AaaServer.profile.READ"]);
});

test("Assist: the Sandbox-environment organisation chosen at consent is the one bound", async ({ page }) => {
  await connectViaSandbox(page, {
    clientRef: demo,
    scopes: ["ZohoAssist.userapi.READ"],
    name: "Ada Assist sandbox",
    email: MULTI_USER.email,
    assistOrg: "Zylker Assist Sandbox",
  });
  const summary = page.getByTestId("binding-summary");
  await expect(summary).toContainText("Zylker Assist Sandbox — Sandbox (800000001002)");
  await expect(summary).toContainText("QA (900000001003)");
});

test("an eu user through the multi-DC client ends with the eu accounts server and API domain", async ({ page }) => {
  await connectViaSandbox(page, { clientRef: demo, scopes: ["Desk.basic.READ"], name: "Eva desk", email: EU_USER.email });
  await expect(page.getByTestId("connection-location")).toHaveText("eu");
  await expect(page.getByTestId("connection-accounts-server")).toHaveText(`${SANDBOX_URL}/eu/accounts`);
  await expect(page.getByTestId("connection-api-domain")).toHaveText(`${SANDBOX_URL}/eu/zohoapis`);
});

test("Zoho's callback ending in a stray & still completes the connect", async ({ page, request }) => {
  expect((await request.post(`${SANDBOX_URL}/_sandbox/limits`, { data: { strayAmpersand: true } })).ok()).toBe(true);
  const held = await heldCallback(page, SINGLE_USER.email);
  expect(held.url.endsWith("&")).toBe(true);
  await held.release();
  await finishAtConsole(page, {});
  await expect(page.getByRole("heading", { name: /^Connected:/ })).toBeVisible();
});

test("Desk chosen without Desk.basic.READ: the picker proposes it, and without it the console says plainly what to add", async ({ page }) => {
  await openWizard(page, { clientRef: demo, scopes: ["Desk.tickets.READ"], name: `No basic ${Date.now()}` });
  await expect(page.getByText("to choose a Desk organisation", { exact: false }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Add Desk.basic.READ" })).toBeVisible();
  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await completeConsent(page, { email: SINGLE_USER.email });
  await page.waitForURL(/\/connections\/(result\?|\d+\/binding)/);
  await expect(page.getByText("Add Desk.basic.READ to choose a Desk organisation", { exact: false }).first()).toBeVisible();
});

test("Deny is explained and stores nothing", async ({ page }) => {
  const before = await connectionCount();
  await openWizard(page, { clientRef: demo, scopes: ["Desk.basic.READ"], name: "Denied" });
  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await completeConsent(page, { email: SINGLE_USER.email, decision: "deny" });
  await expect(page.getByRole("heading", { name: "Access was denied in Zoho" })).toBeVisible();
  await expect(page.getByText("No connection was created or changed.")).toBeVisible();
  expect(await connectionCount()).toBe(before);
  // "Start again" keeps what was chosen.
  await page.getByRole("link", { name: "Start again" }).click();
  await expect(page.getByLabel("Connection name")).toHaveValue("Denied");
});

test("an expired code is explained and stores nothing", async ({ page, request }) => {
  const before = await connectionCount();
  const held = await heldCallback(page, SINGLE_USER.email);
  await request.post(`${SANDBOX_URL}/_sandbox/clock`, { data: { advanceSeconds: 300 } });
  await held.release();
  await expect(page.getByRole("heading", { name: "Zoho did not accept the authorization code" })).toBeVisible();
  await expect(page.getByText("The authorization code expired or was already used.")).toBeVisible();
  expect(await connectionCount()).toBe(before);
  expect(page.url()).not.toContain("code=");
});

test("a replayed callback URL is refused", async ({ page }) => {
  const held = await heldCallback(page, SINGLE_USER.email);
  await held.release();
  await finishAtConsole(page, {});
  const after = await connectionCount();
  // The callback's page moves on without passing its URL (and the code) on as a referrer.
  const replay = await page.request.get(held.url);
  expect(await replay.text()).toContain('<meta name="referrer" content="no-referrer">');
  const referers: (string | undefined)[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/connections/result")) referers.push(r.headers()["referer"]);
  });
  await page.goto(held.url);
  await expect(page.getByRole("heading", { name: "This link was already used" })).toBeVisible();
  expect(referers.length).toBeGreaterThan(0);
  expect(referers.every((r) => r === undefined)).toBe(true);
  expect(await connectionCount()).toBe(after);
});

test("a forged accounts server is refused without a request to it", async ({ page, request }) => {
  const before = await connectionCount();
  const held = await heldCallback(page, SINGLE_USER.email);
  const forged = new URL(held.url);
  forged.searchParams.set("accounts-server", "https://accounts.zoho.evil.example");
  const calls = (await (await request.get(`${SANDBOX_URL}/_sandbox/counters`)).json()).tokenEndpointCalls;
  await held.release(forged.href);
  await expect(page.getByRole("heading", { name: "The callback named an unknown accounts server" })).toBeVisible();
  expect(await connectionCount()).toBe(before);
  expect((await (await request.get(`${SANDBOX_URL}/_sandbox/counters`)).json()).tokenEndpointCalls).toBe(calls);
});

test("a self-client code is exchanged without a redirect URI", async ({ page, request }) => {
  const self = await addSandboxSelfClient(page);
  const minted = await request.post(`${SANDBOX_URL}/_sandbox/codes`, {
    data: { clientId: SELF_CLIENT_ID, email: MULTI_USER.email, scopes: "Desk.basic.READ,AaaServer.profile.READ", durationMinutes: 3, description: "e2e" },
  });
  expect(minted.status()).toBe(201);
  const { code } = await minted.json();
  await page.goto(`/connections/self-client?client=${self}&scopes=Desk.basic.READ,AaaServer.profile.READ`);
  await expect(page.getByText("lives 3, 5, 7 or 10 minutes", { exact: false })).toBeVisible();
  // The code expires in minutes: its field comes first and has the focus, ready for a paste.
  await expect(page.getByLabel("Grant code")).toBeFocused();
  await expect(page.locator("form h2").first()).toHaveText(/Code$/);
  await page.getByLabel("Grant code").fill("1000.00000000aaaaaaaa.00000000bbbbbbbb");
  await page.getByLabel("Connection name").fill("Ada nightly export");
  await page.getByRole("button", { name: "Exchange code" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "expired or was already used" })).toBeVisible();

  await page.getByLabel("Grant code").fill(code);
  await page.getByRole("button", { name: "Exchange code" }).click();
  await finishAtConsole(page, { desk: "Zylker Support" });
  await expect(page.getByTestId("binding-summary")).toContainText("Zylker Support (orgId 700000001001)");
  await expect(page.getByText("Sandbox self client")).toBeVisible();
});

test("a reconnect that adds a scope keeps the connection id", async ({ page }) => {
  const first = await connectViaSandbox(page, { clientRef: demo, scopes: ["Desk.basic.READ"], name: "Ben desk", email: SINGLE_USER.email });
  await page.goto(`/connections/${first.connectionId}/reconnect?scopes=Desk.basic.READ,Desk.tickets.READ`);
  const diff = page.getByTestId("scope-diff");
  await expect(diff).toContainText("Added:");
  await expect(diff).toContainText("+ Desk.tickets.READ");
  await page.getByRole("button", { name: "Reconnect in Zoho" }).click();
  await completeConsent(page, { email: SINGLE_USER.email });
  const again = await finishAtConsole(page, {});
  expect(again.connectionId).toBe(first.connectionId);
  await expect(page.getByRole("heading", { name: "Reconnected: Ben desk" })).toBeVisible();
  await page.goto(`/connections/${first.connectionId}`);
  await expectScopesGranted(page, ["Desk.basic.READ", "Desk.tickets.READ"]);
});

test("the 21st consent for one user is confirmed first, naming the connection it costs, then marks it evicted", async ({ page, request }) => {
  test.setTimeout(240_000);
  // A fresh Zoho user, so earlier tests' connections do not count.
  const email = `budget-${Date.now()}@zylker.com`;
  expect((await request.post(`${SANDBOX_URL}/_sandbox/users`, { data: { email, firstName: "Budget", lastName: "User", dc: "us" } })).status()).toBe(201);
  expect((await request.post(`${SANDBOX_URL}/_sandbox/orgs`, { data: { service: "desk", name: "Budget Desk", memberEmails: [email] } })).status()).toBe(201);
  let firstId = 0;
  for (let i = 1; i <= 20; i++) {
    const { connectionId } = await connectViaSandbox(page, { clientRef: demo, scopes: ["Desk.basic.READ"], name: `Budget ${i}`, email });
    if (i === 1) firstId = connectionId;
    if (i === 19) await expect(page.getByText("already holds 19 of Zoho's 20 refresh tokens", { exact: false })).toBeVisible();
  }

  // Before the 21st: the wizard names the connection a consent by this user would cost, and
  // Authorize does not leave the console until that is confirmed.
  const o = { clientRef: demo, scopes: ["Desk.basic.READ"], name: "Budget 21", email };
  await openWizard(page, o);
  const guard = page.getByTestId("eviction-guard");
  await expect(guard).toContainText(`${email} holds 20 of 20: if ${email} consents, Budget 1 (#${firstId}) is evicted.`);
  await expect(guard.getByRole("link", { name: `Budget 1 (#${firstId})` })).toHaveAttribute("href", `/connections/${firstId}`);
  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await expect(page.getByRole("alert").filter({ hasText: `Budget 1” (#${firstId})` })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/connections/new");
  await page.getByLabel("I understand: the connection named above stops working if this consent goes ahead.").check();
  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await completeConsent(page, o);
  const { connectionId: newest } = await finishAtConsole(page, {});

  const evicted = page.getByText("Evicted by a newer consent", { exact: false });
  await expect(evicted).toBeVisible();
  await expect(evicted.getByRole("link", { name: "Budget 1" })).toHaveAttribute("href", `/connections/${firstId}`);
  const [row] = await consoleQuery<{ reauth_reason: string }>("select reauth_reason from connections where id = ?", [firstId]);
  expect(row.reauth_reason).toBe("evicted");
  // The evicted connection says which consent evicted it.
  await page.goto(`/connections/${firstId}`);
  await expect(page.getByTestId("status-reason")).toContainText(`The consent that authorized connection #${newest} evicted this refresh token`);

  await page.goto(`/connections/new?client=${demo}`);
  await expect(page.getByTestId("client-budget")).toContainText(email);
  await expect(page.getByTestId("client-budget")).toContainText("20 of 20");
  await expect(page.getByTestId("eviction-guard")).toContainText(`if ${email} consents, Budget 2`);

  // Reconnecting another of this user's connections names the one Zoho drops for it.
  const third = Number((await consoleQuery<{ id: number }>("select id from connections where name = ?", ["Budget 3"]))[0].id);
  await page.goto(`/connections/${third}/reconnect`);
  await expect(page.getByTestId("eviction-guard")).toContainText("This reconnect makes Zoho drop the refresh token of Budget 2");
  await retireConnectionsOf(email);
});

test("a callback without state is explained", async ({ page }) => {
  await page.goto(`${CALLBACK_URL}?code=1000.abc&location=us`);
  await expect(page.getByRole("heading", { name: "This callback carries no state" })).toBeVisible();
});
