/**
 * Reusable steps for specs that need a real connection: registering the sandbox's clients,
 * walking Zoho's (the sandbox's) consent screens, and the whole connect flow in one call.
 *
 * Stable API — other specs rely on it:
 * - `resetSandbox(request)`            sandbox back to its seed, with consent limits raised
 * - `addSandboxDemoClient(page)`       → console id of "Sandbox demo client" (adds it if missing)
 * - `addSandboxSelfClient(page)`       → console id of "Sandbox self client" (adds it if missing)
 * - `openWizard(page, opts)`           the New connection form, preselected through its URL
 * - `completeConsent(page, opts)`      sign-in, Assist org chooser, Accept/Deny on the sandbox
 * - `connectViaSandbox(page, opts)`    wizard → consent → org picker → result; → { connectionId }
 * - `expectScopesGranted(page, s)` on a connection's page: each scope's row says Granted
 * - `holdCallback(page)`               stops the browser at the callback and hands its URL over
 * - `consoleDbBytes()`                 the console database as text, for secret checks (from console-db.ts)
 * - `expireStoredToken(id)`            the stored access token expired, not kept fresh (from console-db.ts)
 * - `sandboxAccessTokens(email)`       access token strings the sandbox minted for a user
 */
import fs from "node:fs";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_CLIENT_ID, SEED_PASSWORD, SELF_CLIENT_ID, SELF_CLIENT_SECRET, SINGLE_USER } from "../sandbox/seed";
import { CONSOLE_URL, E2E_DATA, SANDBOX_URL } from "./env";

export { consoleDbBytes, expireStoredToken } from "./console-db";

export const CALLBACK_URL = `${CONSOLE_URL}/api/oauth/callback`;
export const DEMO_CLIENT_NAME = "Sandbox demo client";
export const SELF_CLIENT_NAME = "Sandbox self client";

/** Back to the seed; consent and refresh-token windows raised so a suite can consent often. */
export async function resetSandbox(request: APIRequestContext) {
  expect((await request.post(`${SANDBOX_URL}/_sandbox/reset`)).ok()).toBe(true);
  const limits = await request.post(`${SANDBOX_URL}/_sandbox/limits`, {
    data: { codesPerClientPerWindow: 1000, refreshTokensPerUserPerClientPerWindow: 1000 },
  });
  expect(limits.ok()).toBe(true);
}

async function clientIdFromPage(page: Page): Promise<number> {
  await expect(page).toHaveURL(/\/clients\/\d+/);
  return Number(/\/clients\/(\d+)/.exec(page.url())![1]);
}

async function existingClient(page: Page, name: string): Promise<number | undefined> {
  await page.goto("/clients");
  const link = page.getByRole("link", { name, exact: true });
  if ((await link.count()) === 0) return undefined;
  return Number(/\/clients\/(\d+)/.exec((await link.first().getAttribute("href")) ?? "")![1]);
}

export async function addSandboxDemoClient(page: Page): Promise<number> {
  const found = await existingClient(page, DEMO_CLIENT_NAME);
  if (found) return found;
  const oneClick = page.getByRole("button", { name: "Add the sandbox demo client" });
  if ((await oneClick.count()) > 0) {
    await oneClick.click();
    return clientIdFromPage(page);
  }
  const secret = (await (await page.request.get(`${SANDBOX_URL}/_sandbox/clients/${DEMO_CLIENT_ID}`)).json()).clientSecret as string;
  await page.goto("/clients/new");
  await page.getByLabel("Name").fill(DEMO_CLIENT_NAME);
  await page.getByLabel("Local sandbox").check();
  await page.getByLabel("Server-based application").check();
  await page.getByLabel("Client ID").fill(DEMO_CLIENT_ID);
  await page.getByLabel("Client secret").fill(secret);
  await page.getByLabel("Home data centre").selectOption("us");
  await page.getByLabel("Multi-DC enabled in Zoho's console").check();
  const dcs = page.getByRole("group", { name: "Enabled data centres" }).getByRole("checkbox");
  for (const box of await dcs.all()) if ((await box.getAttribute("value")) !== "cn") await box.check();
  await page.getByRole("button", { name: "Register client" }).click();
  return clientIdFromPage(page);
}

export async function addSandboxSelfClient(page: Page): Promise<number> {
  const found = await existingClient(page, SELF_CLIENT_NAME);
  if (found) return found;
  await page.goto("/clients/new");
  await page.getByLabel("Name").fill(SELF_CLIENT_NAME);
  await page.getByLabel("Local sandbox").check();
  await page.getByLabel("Self client").check();
  await page.getByLabel("Client ID").fill(SELF_CLIENT_ID);
  await page.getByLabel("Client secret").fill(SELF_CLIENT_SECRET);
  await page.getByLabel("Home data centre").selectOption("us");
  await page.getByRole("button", { name: "Register client" }).click();
  return clientIdFromPage(page);
}

export interface WizardOptions {
  clientRef: number;
  scopes: string[];
  name: string;
  accessType?: "offline" | "online";
}

/** Opens New connection with client, scopes and name filled in through its URL. */
export async function openWizard(page: Page, o: WizardOptions) {
  const q = new URLSearchParams({ client: String(o.clientRef), scopes: o.scopes.join(","), name: o.name });
  if (o.accessType) q.set("access", o.accessType);
  await page.goto(`/connections/new?${q}`);
  await expect(page.getByRole("heading", { level: 1, name: "New connection" })).toBeVisible();
}

export interface ConsentOptions {
  email: string;
  /** Label of the Assist organisation to pick when the sandbox asks. */
  assistOrg?: string;
  decision?: "accept" | "deny";
}

/** On the sandbox's pages: signs in when asked, picks the Assist org, then Accept or Deny. */
export async function completeConsent(page: Page, o: ConsentOptions) {
  const signIn = page.getByRole("heading", { name: "Sign in to Zoho (sandbox)" });
  const chooser = page.getByRole("heading", { name: "Choose an organisation" });
  const accept = page.getByRole("button", { name: "Accept" });
  await expect(signIn.or(chooser).or(accept)).toBeVisible();
  if (await signIn.isVisible()) {
    await page.getByLabel("Email address").fill(o.email);
    await page.getByLabel("Password").fill(SEED_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(chooser.or(accept)).toBeVisible();
  }
  if (await chooser.isVisible()) {
    if (!o.assistOrg) throw new Error("The sandbox asks for an Assist organisation: pass assistOrg");
    await page.getByLabel(o.assistOrg, { exact: true }).check();
    await page.getByRole("button", { name: "Submit" }).click();
  }
  await page.getByRole("button", { name: o.decision === "deny" ? "Deny" : "Accept" }).click();
}

export interface ConnectOptions extends WizardOptions, ConsentOptions {
  /** Org picker choices (labels) when the console asks. */
  desk?: string;
  salesiq?: string;
  assistDepartment?: string;
}

/** The whole flow. Resolves on the result page with the new (or reconnected) connection's id. */
export async function connectViaSandbox(page: Page, o: ConnectOptions): Promise<{ connectionId: number }> {
  await openWizard(page, o);
  if (o.accessType) await page.getByLabel(o.accessType === "online" ? "Online" : "Offline (recommended)").check();
  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await completeConsent(page, o);
  return finishAtConsole(page, o);
}

/**
 * A Desk connection of the sandbox user with one Desk organisation, which the console binds
 * without asking (Desk.basic.READ lets it list the organisations, as at Zoho).
 */
export function connectSingleDeskUser(page: Page, clientRef: number, name: string) {
  return connectViaSandbox(page, {
    clientRef,
    scopes: ["Desk.basic.READ", "Desk.tickets.READ", "AaaServer.profile.READ"],
    name,
    email: SINGLE_USER.email,
  });
}

/**
 * After Zoho's redirect: chooses the organisations given, or, when none are given, insists that
 * the console bound them without asking. Then waits for the result page.
 */
export async function finishAtConsole(page: Page, o: Pick<ConnectOptions, "desk" | "salesiq" | "assistDepartment">) {
  await page.waitForURL(/\/connections\/(result\?|\d+\/binding)/);
  if (/\/binding/.test(page.url())) {
    if (!o.desk && !o.salesiq && !o.assistDepartment) {
      throw new Error("expected the organisations to be bound automatically, but the console asked to choose");
    }
    if (o.desk) await page.getByRole("group", { name: "Desk organisation" }).getByLabel(o.desk, { exact: false }).first().check();
    if (o.salesiq) await page.getByRole("group", { name: "SalesIQ portal" }).getByLabel(o.salesiq, { exact: false }).first().check();
    if (o.assistDepartment) await page.getByRole("group", { name: "Assist department" }).getByLabel(o.assistDepartment, { exact: false }).first().check();
    await page.getByRole("button", { name: "Save binding" }).click();
    await page.waitForURL(/\/connections\/result\?/);
  }
  await expect(page.getByRole("heading", { name: /^(Connected|Reconnected):/ })).toBeVisible();
  const href = await page.getByRole("link", { name: "Open connection" }).getAttribute("href");
  return { connectionId: Number(/\/connections\/(\d+)/.exec(href ?? "")![1]) };
}

/** On a connection's page: every scope has a row in "Scopes requested and granted" marked Granted. */
export async function expectScopesGranted(page: Page, scopes: string[]) {
  const card = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "Granted" }) });
  for (const scope of scopes) {
    const row = card.getByRole("row").filter({ has: page.getByRole("cell", { name: scope, exact: true }) });
    await expect(row.getByRole("cell").last(), scope).toHaveText("Granted");
  }
}

/**
 * Playwright does not route requests that follow a redirect, so the sandbox's consent POST is
 * fetched without following it; when it redirects to `callbackPrefix`, the page gets the HTML
 * that `answer` returns for that location instead.
 */
export async function routeConsentRedirect(page: Page, callbackPrefix: string, answer: (location: string) => string) {
  await page.route(
    (url) => url.href.startsWith(SANDBOX_URL) && url.pathname.endsWith("/oauth/v2/auth"),
    async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const response = await route.fetch({ maxRedirects: 0 });
      const location = response.headers()["location"] ?? "";
      if (!location.startsWith(callbackPrefix)) return route.fulfill({ response });
      await route.fulfill({ status: 200, contentType: "text/html", body: answer(location) });
    },
  );
}

/** Holds the browser at the sandbox's redirect to the console callback; `release()` then visits it (or a changed copy). */
export async function holdCallback(page: Page) {
  let resolve!: (url: string) => void;
  const captured = new Promise<string>((r) => (resolve = r));
  await routeConsentRedirect(page, CALLBACK_URL, (location) => {
    resolve(location);
    return "<h1>Callback held</h1>";
  });
  return {
    url: captured,
    async release(url?: string) {
      await page.unrouteAll({ behavior: "ignoreErrors" });
      await page.goto(url ?? (await captured));
    },
  };
}

/** Access token strings the sandbox holds for a user (read from its state file). */
export async function sandboxAccessTokens(email: string): Promise<string[]> {
  const file = `${E2E_DATA}-sandbox/state.json`;
  // The sandbox writes its state 50 ms after a change.
  await new Promise((r) => setTimeout(r, 200));
  const state = JSON.parse(fs.readFileSync(file, "utf8")) as {
    users: Record<string, { email: string }>;
    accessTokens: Record<string, { zuid: string }>;
  };
  const zuids = new Set(Object.entries(state.users).filter(([, u]) => u.email === email).map(([z]) => z));
  return Object.entries(state.accessTokens).filter(([, t]) => zuids.has(t.zuid)).map(([token]) => token);
}

/** Refresh token strings the sandbox issued to a user for a client. */
export async function sandboxRefreshTokens(request: APIRequestContext, email: string, clientId = DEMO_CLIENT_ID): Promise<string[]> {
  const res = await request.get(`${SANDBOX_URL}/_sandbox/tokens?email=${encodeURIComponent(email)}&clientId=${clientId}`);
  return ((await res.json()).refreshTokens as { token: string }[]).map((t) => t.token);
}
