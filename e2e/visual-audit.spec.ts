// Runs after the other specs (file order): it adds an admin and a client, which specs that
// expect a first-run console (one admin, no clients) must not see.
// The visual token audit: a scripted session (sign-in, a client, a connection refreshed twice and
// revoked, a viewer's refused action, a failed sign-in) then read back from /audit, its CSV
// export, the token timeline and the connection's history.
import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO_CLIENT_ID, SINGLE_USER } from "../sandbox/seed";
import { addSandboxDemoClient, connectViaSandbox, resetSandbox, sandboxAccessTokens, sandboxRefreshTokens } from "./connect-helpers";
import { ADMIN_STATE, CONSOLE_URL, SANDBOX_URL } from "./env";
import { addUser, signIn, signInAs, uniqueEmail } from "./helpers";
import { captureServerAction, replayServerAction } from "./server-action";

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const SIGNED_OUT = { cookies: [], origins: [] };
const ZOHO_USER = SINGLE_USER.email;

async function newSession(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: SIGNED_OUT });
  return ctx.newPage();
}

const rows = (page: Page) => page.getByTestId("audit-row");
const randomId = () => Array.from({ length: 25 }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[Math.floor(Math.random() * 36)]).join("");

test("a scripted session is on the audit trail, in its CSV and on the connection page", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await resetSandbox(page.request);
  const clientRef = await addSandboxDemoClient(page);

  // Two people of our own, so their events can be told apart from other specs'.
  const opEmail = uniqueEmail("auditor");
  const opPassword = "auditor-password-1";
  const viewerEmail = uniqueEmail("audit-viewer");
  const viewerPassword = "viewer-password-12";
  const wrongPassword = "not-the-password-42";
  await addUser(page, "admin", opEmail, opPassword);
  await addUser(page, "viewer", viewerEmail, viewerPassword);

  // A failed sign-in, then the real one.
  const op = await newSession(browser);
  await signIn(op, opEmail, wrongPassword);
  await expect(op.getByText("Wrong email or password.")).toBeVisible();
  await signInAs(op, opEmail, opPassword);

  // A client of its own.
  const clientName = `Audit client ${Date.now()}`;
  const clientSecret = "c0ffee".repeat(7);
  await op.goto("/clients/new");
  await op.getByLabel("Name").fill(clientName);
  await op.getByLabel("Local sandbox").check();
  await op.getByLabel("Server-based application").check();
  await op.getByLabel("Client ID").fill(`1000.AUDIT${randomId()}`);
  await op.getByLabel("Client secret").fill(clientSecret);
  await op.getByLabel("Home data centre").selectOption("us");
  await op.getByRole("button", { name: "Register client" }).click();
  await expect(op.getByRole("heading", { level: 1, name: clientName })).toBeVisible();

  const refreshesToday = async () => {
    // The range is in the URL.
    await op.goto("/?range=24h");
    const chart = op.getByTestId("refresh-activity");
    // A console without connections shows its empty state instead of the chart.
    if ((await chart.count()) === 0) return 0;
    await expect(chart.getByRole("link", { name: "24 hours" })).toHaveAttribute("aria-current", "true");
    const label = await chart.getByRole("img", { name: /^Refresh attempts/ }).getAttribute("aria-label");
    return Number(/(\d+) succeeded/.exec(label ?? "")?.[1] ?? NaN);
  };
  const before = await refreshesToday();
  expect(before).toBeGreaterThanOrEqual(0);

  // Connect, refresh twice, revoke.
  const name = `audited-${Date.now()}`;
  const { connectionId: id } = await connectViaSandbox(op, { clientRef, scopes: ["Desk.tickets.READ", "Desk.basic.READ", "AaaServer.profile.READ"], name, email: ZOHO_USER, desk: "Ben" });
  await op.goto(`/connections/${id}`);
  await expect(op.getByTestId("connection-status")).toHaveAttribute("data-status", "active");
  for (let i = 1; i <= 2; i++) {
    await op.getByRole("button", { name: "Refresh now" }).click();
    await expect(op.getByTestId("mint-budget")).toHaveText(new RegExp(`^${i} of 10`));
  }
  const secrets = [
    clientSecret,
    opPassword,
    viewerPassword,
    wrongPassword,
    (await (await op.request.get(`${SANDBOX_URL}/_sandbox/clients/${DEMO_CLIENT_ID}`)).json()).clientSecret as string,
    ...(await sandboxAccessTokens(ZOHO_USER)),
    ...(await sandboxRefreshTokens(op.request, ZOHO_USER)),
  ];
  expect(secrets.length).toBeGreaterThanOrEqual(8);

  // The overview counts both refreshes; the client page draws ben's live refresh token.
  expect(await refreshesToday()).toBeGreaterThanOrEqual(before + 2);
  await op.goto(`/clients/${clientRef}`);
  const budget = op.getByTestId("refresh-token-history");
  await budget.getByText("Show as table").click();
  const benRow = budget.locator("tr", { has: op.getByRole("rowheader", { name: ZOHO_USER, exact: true }) });
  await expect(benRow).toHaveCount(1);
  expect(Number(await benRow.locator("td").first().textContent())).toBeGreaterThanOrEqual(1); // live now
  await op.goto(`/connections/${id}`);

  // The timeline before revocation: three tokens, the older two replaced, the newest current.
  const lives = op.getByTestId("token-timeline-table").getByTestId("token-life-row");
  await expect(lives).toHaveCount(3);
  await expect(lives.nth(0)).toHaveAttribute("data-end-reason", "replaced");
  await expect(lives.nth(1)).toHaveAttribute("data-end-reason", "replaced");
  await expect(lives.nth(2)).toHaveAttribute("data-end-reason", "current");

  // The viewer's refused action: the refresh request replayed from a viewer's session.
  const refresh = await captureServerAction(op, () => op.getByRole("button", { name: "Refresh now" }).click());
  const viewer = await newSession(browser);
  await signInAs(viewer, viewerEmail, viewerPassword);
  const replay = await replayServerAction(viewer.request, refresh);
  expect(replay.text).toContain("Your role does not allow this action.");

  await op.reload();
  await op.getByRole("button", { name: "Revoke" }).click();
  await op.getByRole("dialog", { name: `Revoke ${name}?` }).getByRole("button", { name: "Revoke at Zoho" }).click();
  await expect(op.getByText("Revoked at Zoho; the stored tokens were wiped.")).toBeVisible();

  // After revocation: the last bar ends as revoked, and the history stays.
  await op.reload();
  await expect(lives).toHaveCount(3);
  await expect(lives.nth(2)).toHaveAttribute("data-end-reason", "revoked");
  await expect(lives.nth(0)).toHaveAttribute("data-end-reason", "replaced");
  await expect(lives.nth(1)).toHaveAttribute("data-end-reason", "replaced");
  const history = op.getByTestId("connection-history");
  await expect(history.getByTestId("audit-row").first()).toHaveAttribute("data-action", "connection.revoke");
  // Each event of the history reads as its sentence and links to its own page.
  await expect(history.getByTestId("audit-row").first()).toContainText("Revoked at Zoho; the stored tokens were wiped.");
  await expect(history.getByTestId("audit-row").first().getByTestId("audit-permalink")).toHaveAttribute("href", /^\/audit\/\d+$/);
  await expect(history.locator('[data-action="connection.refresh"][data-outcome="success"]')).toHaveCount(2);
  await expect(history.locator('[data-action="connection.refresh"][data-outcome="denied"]')).toHaveCount(1);
  await expect(history.locator('[data-action="connection.create"]')).toHaveCount(1);

  // The audit page, narrowed to this person by the actor filter.
  await op.getByRole("link", { name: "Open in the audit trail →" }).click();
  await expect(op).toHaveURL(new RegExp(`/audit\\?connection=${id}$`));
  await expect(op.getByRole("combobox", { name: "Connection", exact: true })).toHaveValue(String(id));
  // create, two refreshes, the viewer's denied refresh, revoke (and a binding, if one was chosen)
  await expect(op.locator('[data-testid="audit-row"][data-action="connection.refresh"]')).toHaveCount(3);
  for (const r of await rows(op).all()) expect(await r.getAttribute("data-action")).toMatch(/^connection\./);
  expect(await rows(op).count()).toBeGreaterThanOrEqual(5);
  await op.goto("/audit");
  await op.getByLabel("Actor").selectOption({ label: opEmail });
  await expect(op).toHaveURL(/actor=user%3A\d+/);
  const mine = rows(op);
  for (const action of ["auth.sign_in", "client.create", "connection.authorize_start", "connection.create", "connection.revoke"]) {
    await expect(op.locator(`[data-testid="audit-row"][data-action="${action}"][data-outcome="success"]`)).toHaveCount(1);
  }
  await expect(op.locator('[data-testid="audit-row"][data-action="connection.refresh"][data-outcome="success"]')).toHaveCount(2);
  expect(await mine.count()).toBeGreaterThanOrEqual(7);
  for (const r of await mine.all()) await expect(r).toContainText(opEmail);

  // A row opens to show its whole detail.
  const revokeRow = op.locator('[data-testid="audit-row"][data-action="connection.revoke"]');
  await revokeRow.getByRole("button", { name: /Show details/ }).click();
  await expect(op.locator('[id^="audit-detail-"]').getByTestId("audit-detail-json")).toContainText('"zohoKnewIt": true');

  // Filter by action narrows further; the URL survives a reload; Back returns to the wider view.
  await op.getByLabel("Action").selectOption({ label: "Token refresh" });
  await expect(op).toHaveURL(/action=connection\.refresh/);
  await expect(rows(op)).toHaveCount(2);
  const filtered = op.url();
  await op.reload();
  expect(op.url()).toBe(filtered);
  await expect(op.getByLabel("Action")).toHaveValue("connection.refresh");
  await expect(rows(op)).toHaveCount(2);
  await op.goBack();
  await expect(op).not.toHaveURL(/action=/);
  // The URL changes first; the wider page follows when its server render arrives.
  await expect.poll(() => rows(op).count()).toBeGreaterThanOrEqual(7);

  // The viewer's refusal, with the viewer as actor.
  await op.goto("/audit");
  await op.getByLabel("Actor").selectOption({ label: viewerEmail });
  await expect(op.locator('[data-testid="audit-row"][data-action="connection.refresh"][data-outcome="denied"]')).toHaveCount(1);

  // The failed sign-in: anonymous, failure.
  await op.goto("/audit?actor=anonymous&action=auth.sign_in&outcome=failure");
  await expect(rows(op).first()).toContainText("Sign-in failed: wrong e-mail or password.");
  await expect(rows(op).first()).toContainText(opEmail);
  await expect(rows(op).first()).toContainText("anonymous");

  // A link with a filter the page does not understand says so instead of silently widening.
  await op.goto("/audit?outcome=maybe&action=tokens");
  await expect(op.getByText(/filters were not understood and are not applied: outcome/)).toBeVisible();
  await expect(op.getByLabel("Action")).toHaveValue("tokens");

  // The CSV export of everything holds each event and none of the secrets.
  await op.goto("/audit");
  const [download] = await Promise.all([op.waitForEvent("download"), op.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("time_utc,actor_type,actor,actor_id,action,action_label,target_type,target_id,target_name,outcome,ip,count,summary,detail_json");
  const lines = csv.split("\r\n");
  const has = (...parts: string[]) => lines.some((l) => parts.every((p) => l.includes(p)));
  expect(has(opEmail, "auth.sign_in", "success")).toBe(true);
  expect(has("anonymous", "auth.sign_in", "failure")).toBe(true);
  expect(has(opEmail, "client.create", clientName)).toBe(true);
  expect(has(opEmail, "connection.create", name)).toBe(true);
  expect(lines.filter((l) => l.includes(opEmail) && l.includes("connection.refresh") && l.includes(",success,")).length).toBe(2);
  expect(has(viewerEmail, "connection.refresh", "denied")).toBe(true);
  expect(has(opEmail, "connection.revoke", "success")).toBe(true);
  for (const s of secrets) expect(csv, "a secret leaked into the CSV").not.toContain(s);

  // The export itself is on the trail.
  await op.goto("/audit?action=audit.export");
  await expect(rows(op).first()).toContainText(opEmail);
});
