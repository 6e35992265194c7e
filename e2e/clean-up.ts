/**
 * Leaves the console as the specs after this one expect it (no client, no live connection, no
 * live key, no alert destination), through the UI as an admin. Each step is skipped when there is
 * nothing to undo, so an afterAll can call it whatever its spec got as far as.
 *
 * - `leaveConsoleEmpty(browser, made)`  revoke keys and connections, delete destinations and clients
 */
import { expect, type Browser, type Page } from "@playwright/test";
import { ADMIN_STATE, CONSOLE_URL } from "./env";

export interface MadeBySpec {
  keyIds?: number[];
  connectionIds?: number[];
  destinations?: string[];
  clientRefs?: number[];
}

async function revokeKey(page: Page, id: number) {
  await page.goto(`/settings/api-keys/${id}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible(); // rendered: the button's absence means revoked
  const revoke = page.getByRole("button", { name: "Revoke", exact: true });
  if (!(await revoke.isVisible())) return;
  await revoke.click();
  await page.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText(/revoked/i).first()).toBeVisible();
}

async function revokeConnection(page: Page, id: number) {
  await page.goto(`/connections/${id}`);
  await expect(page.getByTestId("connection-status")).toBeVisible(); // rendered: the button's absence means revoked
  const revoke = page.getByRole("button", { name: "Revoke", exact: true });
  if (!(await revoke.isVisible())) return;
  await revoke.click();
  await page.getByRole("button", { name: "Revoke at Zoho" }).click();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "revoked");
}

async function deleteDestination(page: Page, name: string) {
  await page.goto("/settings/alerts");
  const link = page.getByRole("link", { name, exact: true });
  if ((await link.count()) === 0) return;
  await link.click();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete destination" }).click();
  await expect(page).toHaveURL(/\/settings\/alerts$/);
}

async function deleteClient(page: Page, id: number) {
  const res = await page.goto(`/clients/${id}`);
  if (res?.status() === 404) return;
  await page.getByRole("button", { name: "Delete client" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete client" }).click();
  await expect(page).toHaveURL(/\/clients(\?|$)/);
}

export async function leaveConsoleEmpty(browser: Browser, made: MadeBySpec) {
  const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE });
  const page = await ctx.newPage();
  try {
    for (const id of made.keyIds ?? []) await revokeKey(page, id);
    for (const name of made.destinations ?? []) await deleteDestination(page, name);
    for (const id of made.connectionIds ?? []) await revokeConnection(page, id);
    for (const id of made.clientRefs ?? []) await deleteClient(page, id);
  } finally {
    await ctx.close();
  }
}
