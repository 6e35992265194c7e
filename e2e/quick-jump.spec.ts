// Ctrl/⌘+K: a quick jump to any connection, client or page, by keyboard alone.
import { expect, test } from "@playwright/test";
import { addSandboxDemoClient, connectSingleDeskUser, resetSandbox } from "./connect-helpers";
import { ADMIN_STATE } from "./env";

test.use({ storageState: ADMIN_STATE });

test("Control+K, part of a connection's name, Enter: on its page; Esc closes and gives focus back", async ({ page }) => {
  test.setTimeout(90_000);
  await resetSandbox(page.request);
  const clientRef = await addSandboxDemoClient(page);
  const name = `Jump target ${Date.now().toString(36)}`;
  const { connectionId } = await connectSingleDeskUser(page, clientRef, name);

  await page.goto("/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit" })).toBeVisible();
  const trigger = page.getByRole("button", { name: /Jump to/ });
  await trigger.focus();
  await page.keyboard.press("Control+k");
  const box = page.getByRole("combobox", { name: "Jump to" });
  await expect(box).toBeFocused();
  await expect(page.getByRole("dialog", { name: /Jump to a page/ })).toBeVisible();
  // Esc closes and focus returns where it was.
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(trigger).toBeFocused();

  await page.keyboard.press("Control+k");
  await box.pressSequentially(name.slice(5, 16).toLowerCase(), { delay: 20 });
  const option = page.getByRole("dialog").getByRole("option", { name: new RegExp(name) });
  await expect(option).toBeVisible();
  await expect(option).toHaveAttribute("aria-selected", "true");
  await expect(box).toHaveAttribute("aria-activedescendant", (await option.getAttribute("id"))!);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/connections/${connectionId}$`));
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // Arrow keys move through pages and clients too; the search ran on the server.
  await page.keyboard.press("Control+k");
  await box.fill("sandbox demo");
  await expect(page.getByRole("dialog").getByRole("option", { name: /^Sandbox demo client/ })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+k");
  await box.fill("scop");
  await expect(page.getByRole("dialog").getByRole("option", { name: /Scopes/ })).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Scopes" })).toBeVisible();

  // The search answers nothing to a signed-out caller: it is sent to sign in.
  const anon = await page.context().browser()!.newContext({ storageState: { cookies: [], origins: [] } });
  const refused = await anon.request.get(`${new URL(page.url()).origin}/api/search?q=jump`, { maxRedirects: 0 });
  expect(refused.status()).toBe(307);
  expect(refused.headers()["location"]).toContain("/login");
  await anon.close();
});
