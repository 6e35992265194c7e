// An audit people can read: each event is one sentence, free-text search finds it, and its own
// page (/audit/<id>) shows the sentence, the formatted detail and, for an edit, what changed —
// readable by axe in light and dark, and without sideways scrolling on a 390×844 phone.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { seriousAxeViolations } from "./axe";
import { leaveConsoleEmpty } from "./clean-up";
import { ADMIN_STATE, CONSOLE_URL } from "./env";
import { signIn, uniqueEmail } from "./helpers";

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const PHONE = { width: 390, height: 844 };
const stamp = Date.now().toString(36);
const stranger = uniqueEmail("audit-read-stranger");
const before = `Readable audit ${stamp}`;
const after = `Readable audit renamed ${stamp}`;
let clientId: number;

async function themed(browser: Browser, theme: "light" | "dark", viewport?: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE, colorScheme: theme, ...(viewport ? { viewport } : {}) });
  await context.addCookies([{ name: "theme", value: theme, url: CONSOLE_URL }]);
  return context.newPage();
}

test.beforeAll(async ({ browser }) => {
  // A failed sign-in by a stranger, and a client renamed by the admin: an event with a reason and a change.
  const anon = await (await browser.newContext({ baseURL: CONSOLE_URL, storageState: { cookies: [], origins: [] } })).newPage();
  await signIn(anon, stranger, "not-the-password-42");
  await expect(anon.getByText("Wrong email or password.")).toBeVisible();
  await anon.context().close();

  const page = await (await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE })).newPage();
  await page.goto("/clients/new");
  await page.getByLabel("Name").fill(before);
  await page.getByLabel("Local sandbox").check();
  await page.getByLabel("Server-based application").check();
  await page.getByLabel("Client ID").fill(`1000.READ${Array.from({ length: 26 }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[Math.floor(Math.random() * 36)]).join("")}`);
  await page.getByLabel("Client secret").fill("c0ffee".repeat(7));
  await page.getByLabel("Home data centre").selectOption("us");
  await page.getByRole("button", { name: "Register client" }).click();
  await expect(page.getByRole("heading", { level: 1, name: before })).toBeVisible();
  clientId = Number(/\/clients\/(\d+)/.exec(page.url())![1]);
  await page.getByLabel("Name").fill(after);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: after })).toBeVisible();
  await page.context().close();
});

test("free text finds an event; its row reads as one sentence and links to its own page", async ({ page }) => {
  await page.goto("/audit");
  await page.getByRole("searchbox", { name: "Search events" }).fill(stranger);
  await page.getByRole("searchbox", { name: "Search events" }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(stranger).replace(/\./g, "\\.")}`));
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-action", "auth.sign_in");
  await expect(rows.first()).toContainText("Sign-in failed: wrong e-mail or password.");
  await expect(rows.first()).not.toContainText("bad_credentials");
  // The search rides along in the export link.
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", new RegExp(`q=${encodeURIComponent(stranger).replace(/\./g, "\\.")}`));

  await rows.first().getByTestId("audit-permalink").click();
  await expect(page).toHaveURL(/\/audit\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: /^Event #\d+$/ })).toBeVisible();
  await expect(page.getByTestId("audit-event-sentence")).toHaveText("Sign-in failed: wrong e-mail or password.");
  await expect(page.getByTestId("audit-detail-json")).toContainText('"reason": "bad_credentials"');
  await expect(page.getByRole("main")).toContainText(stranger);
});

test("a change shows before and after, and the page passes axe in light and dark", async ({ browser }) => {
  for (const theme of ["light", "dark"] as const) {
    const page = await themed(browser, theme);
    await page.goto(`/audit?q=${encodeURIComponent(`renamed ${stamp}`)}&action=client.update`);
    const row = page.getByTestId("audit-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(`Changed name of “${after}”.`);
    // The open row: the same detail, formatted, with the diff.
    await row.getByRole("button", { name: /Show details/ }).click();
    await expect(page.locator('[id^="audit-detail-"]').getByTestId("audit-diff")).toContainText(before);
    expect(await seriousAxeViolations(page), `axe on /audit, a row open (${theme})`).toEqual([]);

    await row.getByTestId("audit-permalink").click();
    await expect(page).toHaveURL(/\/audit\/\d+$/);
    await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
    const diff = page.getByTestId("audit-diff");
    await expect(diff.getByRole("row", { name: /name/ })).toContainText(before);
    await expect(diff.getByRole("row", { name: /name/ })).toContainText(after);
    await expect(page.getByTestId("audit-detail-json")).toContainText(/"changed": \[\s*"name"\s*\]/);
    await expect(page.getByRole("link", { name: after })).toHaveAttribute("href", `/clients/${clientId}`);
    expect(await seriousAxeViolations(page), `axe on the event page (${theme})`).toEqual([]);
    await page.context().close();
  }
});

test("an unknown event answers 404 with a way back", async ({ page }) => {
  const response = await page.goto("/audit/999999999");
  expect(response?.status()).toBe(404);
  await expect(page.getByText("No such audit event")).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to the audit trail" })).toBeVisible();
});

test("on a 390×844 phone the search, the cards and the event page fit the screen", async ({ browser }) => {
  for (const theme of ["light", "dark"] as const) {
    const page = await themed(browser, theme, PHONE);
    await page.goto(`/audit?q=${encodeURIComponent(after)}`);
    const card = page.getByTestId("audit-row").first();
    await expect(card).toBeVisible();
    const fits = async (what: string) => {
      const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      expect(width.scroll, `${what} (${theme}): ${width.scroll}px wide on ${width.inner}px`).toBeLessThanOrEqual(width.inner);
    };
    await fits("/audit with a search");
    await card.getByRole("button", { name: /Show details/ }).click();
    await expect(page.locator('[id^="audit-detail-"]').getByTestId("audit-detail-json")).toBeVisible();
    await fits("/audit with a row open");
    await card.getByTestId("audit-permalink").click();
    await expect(page.getByTestId("audit-event-sentence")).toBeVisible();
    await fits("the event page");
    expect(await seriousAxeViolations(page), `axe on the event page at 390 px (${theme})`).toEqual([]);
    await page.context().close();
  }
});

// The specs after this one expect no client left (clients.spec starts from an empty page).
test.afterAll(async ({ browser }) => {
  await leaveConsoleEmpty(browser, { clientRefs: clientId ? [clientId] : [] });
});
