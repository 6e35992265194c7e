// Pages that wait on Zoho show that they are working; a submit cannot be sent twice.
import { expect, test } from "@playwright/test";
import { MULTI_USER } from "../sandbox/seed";
import { addSandboxDemoClient, connectViaSandbox, resetSandbox } from "./connect-helpers";
import { ADMIN_STATE, SANDBOX_URL } from "./env";

test.use({ storageState: ADMIN_STATE });

test("the binding page shows a loading state while Zoho is slow to list organisations", async ({ page }) => {
  test.setTimeout(90_000);
  await resetSandbox(page.request);
  const clientRef = await addSandboxDemoClient(page);
  const { connectionId } = await connectViaSandbox(page, {
    clientRef,
    scopes: ["Desk.basic.READ", "Desk.tickets.READ", "AaaServer.profile.READ"],
    name: `slow-binding-${Date.now()}`,
    email: MULTI_USER.email,
    desk: "Zylker Labs",
  });
  const slow = await page.request.post(`${SANDBOX_URL}/_sandbox/faults`, { data: { api: { delayMs: 3000 } } });
  expect(slow.ok()).toBe(true);
  try {
    const started = Date.now();
    // The skeleton streams first; the organisations follow once Zoho has answered.
    await page.goto(`/connections/${connectionId}/binding`, { waitUntil: "commit" });
    const loading = page.getByTestId("page-loading");
    await expect(loading).toBeVisible();
    await expect(loading.getByRole("status")).toContainText("Asking Zoho which organisations");
    await expect(page.getByRole("heading", { level: 1, name: "Choose the organisation" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Save binding" })).toBeVisible({ timeout: 15_000 });
    await expect(loading).toHaveCount(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
  } finally {
    await page.request.delete(`${SANDBOX_URL}/_sandbox/faults`);
  }
});

test("a double-clicked submit runs its action once and shows it is working", async ({ page }) => {
  const name = `double-click-${Date.now()}`;
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("All connections").check();
  const submit = page.getByRole("button", { name: "Create key" });
  await submit.dblclick();
  await expect(page.getByLabel("New API key")).toHaveValue(/^zoc_/);
  await page.goto("/settings/api-keys");
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(1);
});

test("a submit button is disabled and says what it is doing while its action runs", async ({ page }) => {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill(`slow-${Date.now()}`);
  await page.getByLabel("All connections").check();
  // Hold the server action's answer so the pending state can be seen.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route("**/settings/api-keys", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    await held;
    await route.continue();
  });
  await page.getByRole("button", { name: "Create key" }).click();
  const busy = page.getByRole("button", { name: "Creating…" });
  await expect(busy).toBeDisabled();
  await expect(busy).toHaveAttribute("aria-busy", "true");
  release();
  await expect(page.getByLabel("New API key")).toHaveValue(/^zoc_/);
});
