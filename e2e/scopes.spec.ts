// The scope catalogue and the scope string builder, driven as an ops engineer would.
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, CONSOLE_URL } from "./env";
import { addUser, signInAs, uniqueEmail } from "./helpers";

const builder = (page: Page) => page.getByRole("complementary", { name: "Build a scope string" });
const scopeString = (page: Page) => builder(page).getByTestId("scope-string");

test.use({ storageState: ADMIN_STATE });

test("searching by API call finds the scope, and the search is in the URL to share", async ({ page }) => {
  await page.goto("/scopes");
  await expect(page.getByRole("heading", { level: 1, name: "Scopes" })).toBeVisible();
  for (const service of ["Zoho Desk", "Zoho Assist", "Zoho SalesIQ", "Zoho profile"]) {
    await expect(page.getByRole("heading", { level: 2, name: service })).toBeVisible();
  }

  await page.getByLabel("Search the catalogue").fill("list chats");
  const row = page.getByTestId("scope-SalesIQ.chatdetails.READ");
  await expect(row).toBeVisible();
  await expect(row.getByRole("list", { name: "API calls that need SalesIQ.chatdetails.READ" })).toContainText("Chat list");
  await expect(page.getByRole("heading", { level: 2, name: "Zoho Desk" })).toHaveCount(0);
  await expect(page).toHaveURL(/\/scopes\?q=list\+chats$/);

  // A shared link opens the same result.
  await page.reload();
  await expect(page.getByLabel("Search the catalogue")).toHaveValue("list chats");
  await expect(page.getByTestId("scope-SalesIQ.chatdetails.READ")).toBeVisible();

  await page.getByLabel("Search the catalogue").fill("frobnicate the widgets");
  await expect(page.getByRole("heading", { name: "No scope matches “frobnicate the widgets”" })).toBeVisible();
  await expect(page.getByText(/Try an API call as Zoho names it/)).toBeVisible();
  await page.getByRole("button", { name: "Show the whole catalogue" }).click();
  await expect(page.getByTestId("scope-Desk.tickets.READ")).toBeVisible();
  await expect(page).toHaveURL(/\/scopes$/);
});

test("filtering by service and operation narrows the catalogue and shows how orgs are found", async ({ page }) => {
  await page.goto("/scopes");
  await page.getByLabel("Service", { exact: true }).selectOption("salesiq");
  await expect(page).toHaveURL(/service=salesiq/);
  await expect(page.getByRole("heading", { level: 2, name: "Zoho SalesIQ" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Zoho Desk" })).toHaveCount(0);
  await expect(page.getByTestId("service-salesiq")).toContainText("Found with GET /api/v2/portals, which needs SalesIQ.portals.READ.");

  await page.getByLabel("Operation", { exact: true }).selectOption("ALL");
  await expect(page).toHaveURL(/service=salesiq&operation=ALL/);
  const allRow = page.getByTestId("scope-SalesIQ.portals.ALL");
  await expect(allRow.getByText("broad", { exact: true })).toBeVisible();
  await expect(page.getByTestId("scope-SalesIQ.portals.READ")).toHaveCount(0);

  // Straight from a link, with the keyboard shortcut to search.
  await page.goto("/scopes?service=assist");
  await expect(page.getByLabel("Service", { exact: true })).toHaveValue("assist");
  await expect(page.getByTestId("scope-ZohoAssist.userapi.READ")).toBeVisible();
  await expect(page.getByTestId("scope-Desk.tickets.READ")).toHaveCount(0);
  await page.locator("body").press("/");
  await expect(page.getByLabel("Search the catalogue")).toBeFocused();
});

test("the builder shows the exact scope string and copies it", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: CONSOLE_URL });
  await page.goto("/scopes");
  const b = builder(page);

  // Empty is not allowed: the form stops and says why.
  await b.getByRole("button", { name: "Copy scope string" }).click();
  await expect(b.getByRole("alert")).toHaveText("Choose at least one scope.");
  await expect(page.getByText("Scope string copied")).toHaveCount(0);

  await b.getByLabel("SalesIQ.chatdetails.READ", { exact: true }).check();
  await b.getByLabel("Desk.tickets.READ", { exact: true }).check();
  // Catalogue order, whatever the click order: the same choice is always the same string.
  await expect(scopeString(page)).toHaveText("Desk.tickets.READ,SalesIQ.chatdetails.READ");
  await expect(b.getByTestId("scope-count")).toHaveText("2 scopes selected");

  // Pick by API: the suggested scope is one click away.
  await b.getByRole("tab", { name: "By API call" }).click();
  await b.getByLabel("Search API calls").fill("chat transcript");
  await b.getByRole("button", { name: "Add SalesIQ.chattranscript.READ for Chat transcript" }).click();
  await expect(scopeString(page)).toHaveText("Desk.tickets.READ,SalesIQ.chatdetails.READ,SalesIQ.chattranscript.READ");

  // Services without their org discovery scope get a one-click fix.
  await b.getByRole("button", { name: "Add SalesIQ.portals.READ" }).click();
  await b.getByRole("button", { name: "Remove Desk.tickets.READ" }).click();
  const expected = "SalesIQ.portals.READ,SalesIQ.chatdetails.READ,SalesIQ.chattranscript.READ";
  await expect(scopeString(page)).toHaveText(expected);

  await b.getByRole("button", { name: "Copy scope string" }).click();
  await expect(page.getByText("Scope string copied")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);

  await b.getByRole("button", { name: "Start over" }).click();
  await expect(scopeString(page)).toHaveText("");
});

test("custom scopes are checked against Service.scope.OPERATION and .ALL is marked broad", async ({ page }) => {
  await page.goto("/scopes");
  const b = builder(page);
  const custom = b.getByLabel("Custom scope");

  await custom.fill("tickets.read");
  await b.getByRole("button", { name: "Add scope" }).click();
  await expect(b.getByRole("alert")).toContainText("“tickets.read” is not a Zoho scope");
  await expect(custom).toHaveAttribute("aria-invalid", "true");
  await expect(scopeString(page)).toHaveText("");

  await custom.fill("Desk.timeEntry.READ");
  await custom.press("Enter");
  await expect(scopeString(page)).toHaveText("Desk.timeEntry.READ");
  await expect(b.getByTestId("unknown-warning")).toContainText("Desk.timeEntry.READ is unknown to the catalogue");
  await expect(b.getByRole("list", { name: "Selected scopes" })).toContainText("(unknown)");

  await b.getByLabel("Search scopes").fill("tickets");
  await b.getByLabel("Desk.tickets.ALL", { exact: true }).check();
  await expect(b.getByTestId("broad-warning")).toContainText("Desk.tickets.ALL grants every operation on tickets");
  await expect(scopeString(page)).toHaveText("Desk.tickets.ALL,Desk.timeEntry.READ");
});

test("a viewer can read the catalogue and build a string", async ({ page, browser }) => {
  const email = uniqueEmail("scopes-viewer");
  await addUser(page, "viewer", email, "viewer-password-1");

  const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: { cookies: [], origins: [] } });
  const viewer = await ctx.newPage();
  await signInAs(viewer, email, "viewer-password-1");
  await viewer.goto("/scopes?q=visitor+details");
  await expect(viewer.getByTestId("scope-SalesIQ.visitordetails.READ")).toBeVisible();
  await builder(viewer).getByLabel("AaaServer.profile.READ", { exact: true }).check();
  await expect(scopeString(viewer)).toHaveText("AaaServer.profile.READ");
  await ctx.close();
});
