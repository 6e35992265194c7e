// No dead ends in connecting: a revoked connection is authorized again in place, the self-client
// form keeps what was typed and says how long the code lives, unfinished consents are listed
// with "Try again", and the binding form pre-selects Desk's default and says what is missing.
import { expect, test, type Page } from "@playwright/test";
import { MULTI_USER, SEED_ORGS, SELF_CLIENT_ID, SINGLE_USER } from "../sandbox/seed";
import {
  addSandboxDemoClient,
  addSandboxSelfClient,
  completeConsent,
  connectViaSandbox,
  finishAtConsole,
  openWizard,
  resetSandbox,
} from "./connect-helpers";
import { consoleQuery } from "./console-db";
import { ADMIN_STATE, SANDBOX_URL } from "./env";

test.use({ storageState: ADMIN_STATE });

const historyOf = async (id: number) => ({
  // Quoted alias: PostgreSQL folds an unquoted one to lower case.
  mints: await consoleQuery('select via, end_reason as "endReason" from token_mints where connection_id = ? order by id', [id]),
  actions: (await consoleQuery<{ action: string }>("select action from audit_events where target_type = 'connection' and target_id = ? order by id", [String(id)])).map(
    (r) => r.action,
  ),
});

/** Forgets who is signed in to Zoho (the sandbox), keeping the console session. */
const signOutOfZoho = (page: Page) => page.context().clearCookies({ domain: new URL(SANDBOX_URL).hostname });

let demo = 0;

test.beforeEach(async ({ page, request }) => {
  await resetSandbox(request);
  demo = await addSandboxDemoClient(page);
});

test("a revoked connection is authorized again in place, by its own Zoho user only", async ({ page }) => {
  const name = `Revived ${Date.now()}`;
  const { connectionId: id } = await connectViaSandbox(page, { clientRef: demo, scopes: ["Desk.basic.READ"], name, email: SINGLE_USER.email });
  await page.goto(`/connections/${id}`);
  await page.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog", { name: `Revoke ${name}?` }).getByRole("button", { name: "Revoke at Zoho" }).click();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "revoked");

  // "Next: Reconnect" leads to a form with everything proposed, not to a dead end.
  await page.getByRole("link", { name: "Reconnect", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/connections/${id}/reconnect$`));
  await expect(page.getByText("Create a new connection instead")).toHaveCount(0);
  await expect(page.getByTestId("binding-summary")).toContainText("Ben's Bakery Help");
  await expect(page.getByTestId("scope-string")).toHaveText("Desk.basic.READ");
  await expect(page.getByText(`Sign in to Zoho as ${SINGLE_USER.email}`)).toBeVisible();

  // Another Zoho user consents: refused, and the connection stays revoked.
  await signOutOfZoho(page);
  await page.getByRole("button", { name: "Authorize again in Zoho" }).click();
  await completeConsent(page, { email: MULTI_USER.email });
  await expect(page.getByRole("heading", { name: "A different Zoho user consented" })).toBeVisible();
  await page.goto(`/connections/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "revoked");

  // The right user: same connection, new tokens, binding kept, history continued.
  await page.goto(`/connections/${id}/reconnect`);
  await signOutOfZoho(page);
  await page.getByRole("button", { name: "Authorize again in Zoho" }).click();
  await completeConsent(page, { email: SINGLE_USER.email });
  const again = await finishAtConsole(page, {});
  expect(again.connectionId).toBe(id);
  await expect(page.getByRole("heading", { name: `Reconnected: ${name}` })).toBeVisible();
  await expect(page.getByTestId("binding-summary")).toContainText("Ben's Bakery Help");
  await page.goto(`/connections/${id}`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "active");
  await expect(page.getByRole("button", { name: "Refresh now" })).toBeEnabled();

  const { mints, actions } = await historyOf(id);
  expect(mints).toEqual([
    { via: "authorize", endReason: "revoked" },
    { via: "reconnect", endReason: null },
  ]);
  expect(actions).toEqual(expect.arrayContaining(["connection.create", "connection.revoke", "connection.reconnect"]));
  expect(actions.indexOf("connection.reconnect")).toBeGreaterThan(actions.indexOf("connection.revoke"));
});

test("self client: a failed exchange keeps the code, shows its error in view, and the code's lifetime counts down", async ({ page, request }) => {
  const self = await addSandboxSelfClient(page);
  await page.clock.install();
  await page.goto(`/connections/self-client?client=${self}&scopes=Desk.basic.READ,AaaServer.profile.READ`);
  await expect(page.getByRole("combobox", { name: /organi[sz]ation/i })).toHaveCount(0);
  await expect(page.getByRole("radiogroup", { name: /organi[sz]ation/i })).toHaveCount(0);
  await expect(page.getByText("The organisation picked there travels with the code")).toBeVisible();

  const dead = "1000.00000000aaaaaaaa.00000000bbbbbbbb";
  await page.getByLabel("Grant code").fill(dead);
  await page.getByLabel("Time duration chosen in Zoho").selectOption("5");
  await expect(page.getByTestId("code-validity")).toContainText(/Valid for about [45]:\d\d more \(5 minutes/);
  await page.getByLabel("Connection name").fill("Ada nightly export");
  await page.getByRole("button", { name: "Exchange code" }).click();

  const error = page.getByTestId("form-error");
  await expect(error).toContainText("expired or was already used");
  await expect(error).toBeFocused();
  await expect(error).toBeInViewport();
  await expect(page.getByLabel("Grant code")).toHaveValue(dead);
  await expect(page.getByLabel("Connection name")).toHaveValue("Ada nightly export");

  await page.clock.fastForward("05:01");
  await expect(page.getByTestId("code-validity")).toContainText("most likely expired");

  // A code generated for one Assist organisation: exchanged without asking for an organisation.
  const minted = await request.post(`${SANDBOX_URL}/_sandbox/codes`, {
    data: {
      clientId: SELF_CLIENT_ID,
      email: MULTI_USER.email,
      scopes: "ZohoAssist.userapi.READ,AaaServer.profile.READ",
      durationMinutes: 10,
      description: "e2e",
      orgId: SEED_ORGS.assistSandbox,
    },
  });
  expect(minted.status()).toBe(201);
  await page.goto(`/connections/self-client?client=${self}&scopes=ZohoAssist.userapi.READ,AaaServer.profile.READ&name=Assist%20sandbox%20job`);
  await page.getByLabel("Grant code").fill((await minted.json()).code);
  await expect(page.getByTestId("code-validity")).toContainText(/Valid for about [23]:\d\d more \(3 minutes/);
  await page.getByRole("button", { name: "Exchange code" }).click();
  await finishAtConsole(page, {});
  await expect(page.getByTestId("binding-summary")).toContainText("Zylker Assist Sandbox");
});

test("unfinished and failed consents are listed on Connections with Try again", async ({ page }) => {
  const stamp = Date.now();
  // Abandoned at Zoho's sign-in page.
  const abandoned = `Abandoned ${stamp}`;
  await openWizard(page, { clientRef: demo, scopes: ["Desk.basic.READ"], name: abandoned });
  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Zoho (sandbox)" })).toBeVisible();
  // Refused on the consent page.
  const denied = `Denied ${stamp}`;
  await openWizard(page, { clientRef: demo, scopes: ["Desk.basic.READ"], name: denied });
  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await completeConsent(page, { email: SINGLE_USER.email, decision: "deny" });
  await expect(page.getByRole("heading", { name: "Access was denied in Zoho" })).toBeVisible();

  await page.goto("/connections");
  const list = page.getByRole("list", { name: "Unfinished authorizations" });
  const waiting = list.getByRole("listitem").filter({ hasText: abandoned });
  await expect(waiting).toContainText("Waiting for Zoho");
  await expect(waiting).toContainText("Desk.basic.READ");
  const failed = list.getByRole("listitem").filter({ hasText: denied });
  await expect(failed).toContainText("Failed");
  await expect(failed).toContainText("Access was denied in Zoho");
  await expect(failed.getByRole("link", { name: "Change and retry" })).toHaveAttribute("href", /\/connections\/new\?.*name=Denied/);

  // Try again goes straight back to Zoho with the same choices and ends in the connection.
  await failed.getByRole("button", { name: `Try again: ${denied}` }).click();
  await completeConsent(page, { email: SINGLE_USER.email });
  await finishAtConsole(page, {});
  await expect(page.getByRole("heading", { name: `Connected: ${denied}` })).toBeVisible();
  await page.goto("/connections");
  await expect(list.getByRole("listitem").filter({ hasText: denied })).toHaveCount(0);
  await expect(list.getByRole("listitem").filter({ hasText: abandoned })).toHaveCount(1);
});

test("binding pre-selects Desk's default organisation and says, next to the group, what is still to choose", async ({ page }) => {
  const name = `Default org ${Date.now()}`;
  await openWizard(page, { clientRef: demo, scopes: ["Desk.basic.READ", "SalesIQ.portals.READ"], name });
  await page.getByRole("button", { name: "Authorize in Zoho" }).click();
  await completeConsent(page, { email: MULTI_USER.email });
  await expect(page.getByRole("heading", { level: 1, name: "Choose the organisation" })).toBeVisible();

  const desk = page.getByRole("group", { name: "Desk organisation" });
  await expect(desk.getByRole("radio", { name: /Zylker Support/ })).toBeChecked();
  await expect(desk.getByRole("radio", { name: /Zylker Labs/ })).not.toBeChecked();
  const portal = page.getByRole("group", { name: "SalesIQ portal" });
  await expect(portal.getByRole("radio", { checked: true })).toHaveCount(0);

  await page.getByRole("button", { name: "Save binding" }).click();
  await expect(portal.getByText("Choose a SalesIQ portal.")).toBeVisible();
  await expect(portal).toHaveAccessibleDescription("Choose a SalesIQ portal.");
  await expect(portal.getByRole("radio").first()).toBeFocused();
  await expect(page).toHaveURL(/\/binding/);

  await portal.getByRole("radio", { name: /Zylker Chat/ }).check();
  await expect(portal.getByText("Choose a SalesIQ portal.")).toHaveCount(0);
  await page.getByRole("button", { name: "Save binding" }).click();
  await page.waitForURL(/\/connections\/result\?/);
  await expect(page.getByTestId("binding-summary")).toContainText(`Zylker Support (orgId ${SEED_ORGS.deskZylkerSupport})`);
});
