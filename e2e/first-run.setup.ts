import { expect, test } from "@playwright/test";
import { seriousAxeViolations } from "./axe";
import { ADMIN_STATE, CONSOLE_URL } from "./env";
import { ADMIN } from "./helpers";

test("first visit leads to admin set-up, which then closes for good", async ({ page, browser }) => {
  await page.goto("/connections");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Create the admin account" })).toBeVisible();
  // The first page anyone sees is held to the same bar as the rest: no serious or critical axe violation.
  expect.soft(await seriousAxeViolations(page), "axe on the set-up page").toEqual([]);

  // A bad form loses nothing and says what to fix.
  await page.getByLabel("Name").fill(ADMIN.name);
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Confirm password").fill("short");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Use at least 12 characters")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue(ADMIN.name);
  expect.soft(await seriousAxeViolations(page), "axe on the set-up page with errors").toEqual([]);

  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Confirm password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin and sign in" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("current-user")).toContainText(ADMIN.email);
  await expect(page.getByText("Admin", { exact: true })).toBeVisible();
  // The only moment the database has no client: the empty overview leads with adding one.
  await expect(page.getByRole("heading", { name: "Start by adding a Zoho client" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link").first()).toHaveText("Add a Zoho client");
  for (const section of ["Overview", "Clients", "Connections", "Scopes", "Audit", "Settings"]) {
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: section })).toBeVisible();
  }
  await page.context().storageState({ path: ADMIN_STATE });

  // Once an admin exists the set-up page is closed, signed in or not.
  await page.goto("/setup");
  await expect(page).not.toHaveURL(/\/setup/);
  const fresh = await browser.newContext({ baseURL: CONSOLE_URL, storageState: { cookies: [], origins: [] } });
  const other = await fresh.newPage();
  await other.goto("/setup");
  await expect(other).toHaveURL(/\/login/);
  await fresh.close();
});
