import { expect, type Page } from "@playwright/test";

export const ADMIN = { name: "Ada Admin", email: "admin@console.test", password: "correct horse battery" };

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

export const uniqueEmail = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@console.test`;

/** Signs in and waits until the console has let the user in. */
export async function signInAs(page: Page, email: string, password: string) {
  await signIn(page, email, password);
  await expect(page.getByTestId("current-user")).toContainText(email);
}

/** Adds a console user through Settings → Users, as an admin would. */
export async function addUser(page: Page, role: "admin" | "operator" | "viewer", email: string, password: string) {
  await page.goto("/settings/users");
  await page.getByLabel("Name").fill(`${role} person`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Initial password").fill(password);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByTestId(`user-row-${email}`)).toBeVisible();
}
