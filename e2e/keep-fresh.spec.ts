// The per-connection "Keep fresh" switch: kept across reloads, audited, shown in the list.
import { expect, test } from "@playwright/test";
import { addSandboxDemoClient, connectSingleDeskUser, resetSandbox } from "./connect-helpers";
import { ADMIN_STATE } from "./env";

test.use({ storageState: ADMIN_STATE });

test("an operator switches Keep fresh off and on; the choice stays, is audited and shows in the list", async ({ page }) => {
  test.setTimeout(90_000);
  await resetSandbox(page.request);
  const clientRef = await addSandboxDemoClient(page);
  const name = `keep-fresh-${Date.now()}`;
  const { connectionId } = await connectSingleDeskUser(page, clientRef, name);
  await page.goto(`/connections/${connectionId}`);
  const toggle = page.getByRole("switch", { name: "Keep fresh" });
  await expect(toggle).toHaveAttribute("aria-checked", "true");

  // By keyboard: focus the switch and press Space.
  await toggle.focus();
  await page.keyboard.press("Space");
  await expect(page.getByText("No longer kept fresh")).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await page.reload();
  await expect(page.getByRole("switch", { name: "Keep fresh" })).toHaveAttribute("aria-checked", "false");
  await expect(page.getByTestId("keep-fresh-hint")).toContainText("renewed only on demand");

  await page.goto(`/connections?q=${encodeURIComponent(name)}`);
  await expect(page.getByTestId(`connection-row-${connectionId}`).getByTestId("keep-fresh")).toHaveText("on demand");

  await page.goto(`/audit?connection=${connectionId}`);
  const row = page.locator('[data-testid="audit-row"][data-action="connection.keep_fresh"]');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Keep fresh switched");

  await page.goto(`/connections/${connectionId}`);
  await page.getByRole("switch", { name: "Keep fresh" }).click();
  await expect(page.getByRole("switch", { name: "Keep fresh" })).toHaveAttribute("aria-checked", "true");
  await page.reload();
  await expect(page.getByRole("switch", { name: "Keep fresh" })).toHaveAttribute("aria-checked", "true");
  await page.goto(`/connections?q=${encodeURIComponent(name)}`);
  await expect(page.getByTestId(`connection-row-${connectionId}`).getByTestId("keep-fresh")).toHaveText("kept fresh");
  await page.goto(`/audit?connection=${connectionId}`);
  await expect(page.locator('[data-testid="audit-row"][data-action="connection.keep_fresh"]')).toHaveCount(2);
});
