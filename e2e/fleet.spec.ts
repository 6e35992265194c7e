// Running a fleet: tags on the connection page, the list filtered by tag, every match selected,
// bulk Keep fresh off and Revoke with a confirmation and a result per connection, the CSV export
// of the filter, the connection id copied, and the filtered list saved as a view.
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO_CLIENT_ID, SINGLE_USER } from "../sandbox/seed";
import { addSandboxDemoClient, connectSingleDeskUser, resetSandbox, sandboxAccessTokens, sandboxRefreshTokens } from "./connect-helpers";
import { consoleQuery, copyTaggedConnections } from "./console-db";
import { ADMIN_STATE, CONSOLE_URL, SANDBOX_URL } from "./env";

test.use({ storageState: ADMIN_STATE });

test("an operator tags connections, acts on every match of a tag at once, and exports them", async ({ page, context }) => {
  test.setTimeout(240_000);
  await resetSandbox(page.request);
  const clientRef = await addSandboxDemoClient(page);
  const run = Date.now().toString(36);
  const tag = `batch:${run}`;
  const a = (await connectSingleDeskUser(page, clientRef, `fleet-${run}-a`)).connectionId;
  const b = (await connectSingleDeskUser(page, clientRef, `fleet-${run}-b`)).connectionId;
  const other = (await connectSingleDeskUser(page, clientRef, `fleet-${run}-other`)).connectionId;

  // Tags on the connection page: several at once, lowercased; a bad one is explained; one removed.
  await page.goto(`/connections/${a}`);
  const tags = page.getByRole("list", { name: "Tags" });
  await page.getByLabel("Add tags").fill("not a tag!");
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "is not a tag" })).toBeVisible();
  await page.getByLabel("Add tags").fill(`${tag}, Env:E2E`);
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(tags).toContainText(tag);
  await expect(tags).toContainText("env:e2e");
  await page.getByRole("button", { name: "Remove tag env:e2e" }).click();
  await expect(tags).not.toContainText("env:e2e");
  await page.reload();
  await expect(page.getByRole("list", { name: "Tags" })).toContainText(tag);

  // The id services put in their API calls, copied with one click.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: CONSOLE_URL });
  await page.getByRole("button", { name: `Copy connection id ${a}`, exact: true }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(String(a));

  await page.goto(`/connections/${b}`);
  await page.getByLabel("Add tags").fill(tag);
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("list", { name: "Tags" })).toContainText(tag);
  // More than a page of them: 21 carry the tag.
  await copyTaggedConnections(a, 19, `fleet-${run}-copy`, tag);

  // The list, filtered by the tag through its filter bar.
  await page.goto("/connections");
  await page.getByLabel("Tag", { exact: true }).selectOption(tag);
  await expect(page).toHaveURL(/tag=batch%3A/);
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText("21 connections of");
  await expect(page.getByTestId(`connection-row-${other}`)).toHaveCount(0);
  await expect(page.getByTestId(`connection-row-${a}`).getByTestId("row-tags")).toContainText(tag);
  // The list's copy button, after the page's put something else on the clipboard.
  await page.evaluate(() => navigator.clipboard.writeText(""));
  await page.getByTestId(`connection-row-${a}`).getByRole("button", { name: `Copy connection id ${a}`, exact: true }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(String(a));

  // The filtered list saved as a view: a link in the sidebar that opens it again.
  await page.getByRole("button", { name: "Save view" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill(`Fleet ${run}`);
  await page.getByRole("dialog").getByRole("button", { name: "Save", exact: true }).click();
  const saved = page.getByRole("list", { name: "Saved views" }).getByRole("link", { name: `Fleet ${run}` });
  await expect(saved).toBeVisible();
  await page.goto("/connections");
  await page.getByRole("list", { name: "Saved views" }).getByRole("link", { name: `Fleet ${run}` }).click();
  await expect(page).toHaveURL(/\/connections\?.*tag=batch%3A/);
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText("21 connections of");

  // The export has exactly the filtered connections, and no secret.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines).toHaveLength(22);
  expect(lines[0]).toMatch(/^id,name,client,/);
  expect(csv).toContain(`fleet-${run}-a`);
  expect(csv).toContain(`fleet-${run}-copy-19`);
  expect(csv).not.toContain(`fleet-${run}-other`);
  for (const secret of [...(await sandboxAccessTokens(SINGLE_USER.email)), ...(await sandboxRefreshTokens(page.request, SINGLE_USER.email))]) {
    expect(csv).not.toContain(secret);
  }
  const stored = await consoleQuery<{ enc: string }>("select refresh_token_enc as enc from connections where id = ?", [a]);
  expect(csv).not.toContain(stored[0].enc);

  // Every match of the filter: the page first, then all 21, the count stated.
  await page.getByLabel("Select every connection on this page").check();
  await expect(page.getByTestId("selection-count")).toHaveText("20 connections selected");
  await page.getByRole("button", { name: "Select all 21 matching connections" }).click();
  await expect(page.getByTestId("selection-count")).toContainText("21 connections selected");
  await page.getByRole("button", { name: "Keep fresh off", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Keep fresh off: 21 connections?");
  await expect(dialog.getByTestId("bulk-clients")).toHaveText("Clients: Sandbox demo client (21).");
  await dialog.getByRole("button", { name: "Keep fresh off 21 connections" }).click();
  await expect(page.getByTestId("bulk-progress")).toContainText("finished · 21 of 21 done · 21 succeeded");
  await expect(page.getByTestId(`connection-row-${a}`).getByTestId("keep-fresh")).toHaveText("on demand");

  // Revoke: the confirmation names how many and which clients; each gets its own result.
  await page.getByRole("button", { name: "Close", exact: true }).click();
  await page.getByLabel("Select every connection on this page").check();
  await page.getByRole("button", { name: "Select all 21 matching connections" }).click();
  await page.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(dialog).toContainText("Revoke: 21 connections?");
  await expect(dialog.getByTestId("bulk-clients")).toHaveText("Clients: Sandbox demo client (21).");
  await expect(dialog).toContainText("This cannot be undone.");
  await dialog.getByRole("button", { name: "Revoke 21 connections" }).click();
  await expect(page.getByTestId("bulk-progress")).toContainText("working");
  await expect(page.getByTestId("bulk-progress")).toContainText("finished · 21 of 21 done · 21 succeeded", { timeout: 60_000 });
  await expect(page.getByTestId(`bulk-result-${a}`)).toContainText("Revoked at Zoho");
  await expect(page.getByTestId(`bulk-result-${b}`)).toContainText("Done");
  // At Zoho (the sandbox), the two revoked connections' refresh tokens are dead, the third's live.
  const zoho = await page.request.get(`${SANDBOX_URL}/_sandbox/tokens?email=${encodeURIComponent(SINGLE_USER.email)}&clientId=${DEMO_CLIENT_ID}`);
  const live = ((await zoho.json()).refreshTokens as { live: boolean }[]).map((t) => t.live).sort();
  expect(live).toEqual([false, false, true]);
  const [left] = await consoleQuery<{ revoked: number | null }>("select revoked_at as revoked from connections where id = ?", [other]);
  expect(left.revoked).toBeNull();

  // One audit event per connection plus the bulk events, found through the tag.
  await page.goto(`/audit?tag=${encodeURIComponent(tag)}&action=connection.revoke`);
  await expect(page.locator('[data-testid="audit-row"][data-action="connection.revoke"]')).toHaveCount(21);
  await page.goto("/audit?action=connection.bulk");
  const bulkRows = page.locator('[data-testid="audit-row"][data-action="connection.bulk"]');
  await expect(bulkRows.filter({ hasText: "Revoke" })).toHaveCount(1);
  await expect(bulkRows.filter({ hasText: "Keep fresh off" })).toHaveCount(1);

  await page.getByRole("button", { name: `Delete saved view Fleet ${run}` }).click();
  await expect(page.getByRole("link", { name: `Fleet ${run}` })).toHaveCount(0);
});
