import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, CONSOLE_URL } from "./env";
import { addUser, signInAs, uniqueEmail } from "./helpers";
import { captureServerAction, replayServerAction } from "./server-action";

test.use({ storageState: ADMIN_STATE });

const SECRET_1 = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345fed01";
const SECRET_2 = "ffeeddccbbaa99887766554433221100aabbcc7777";
const CLIENT_ID = "1000.E2ECLIENTABCDEFGHIJKLMNOPQRSTU";

async function fillClient(page: Page, name: string) {
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Local sandbox").check();
  await page.getByLabel("Server-based application").check();
  await page.getByLabel("Client ID").fill(CLIENT_ID);
  await page.getByLabel("Client secret").fill(SECRET_1);
  await page.getByLabel("Home data centre").selectOption("eu");
  await page.getByLabel("Multi-DC enabled in Zoho's console").check();
  await page.getByRole("group", { name: "Enabled data centres" }).getByLabel(/^us/).check();
}

test("an empty Clients page offers the sandbox demo client in one click", async ({ page }) => {
  await page.goto("/clients");
  await expect(page.getByRole("heading", { name: "No Zoho clients registered" })).toBeVisible();
  await page.getByRole("button", { name: "Add the sandbox demo client" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sandbox demo client" })).toBeVisible();
  await expect(page.getByText("1000.SANDBOXDEMOCLIENT0000000000001").first()).toBeVisible();
  await expect(page.getByText("••••06b6").first()).toBeVisible();
});

test("an admin registers, edits, re-keys and deletes a client", async ({ page, context }) => {
  const name = `EU Desk ${Date.now()}`;
  await page.goto("/clients/new");

  // Validation fails visibly and keeps what was typed.
  await fillClient(page, name);
  await page.getByLabel("Client ID").fill("1000.abc");
  await page.getByRole("button", { name: "Register client" }).click();
  await expect(page.getByText(/After "1000\." a client id has only|Zoho client ids are upper case|has 30 characters/)).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await page.getByLabel("Client ID").fill(CLIENT_ID);
  await page.getByLabel("Client secret").fill(SECRET_1);
  await page.getByRole("button", { name: "Register client" }).click();

  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText("Client registered.")).toBeVisible();
  // The banner leads on to the next step, preselecting this client.
  const clientId = /\/clients\/(\d+)/.exec(page.url())![1];
  await expect(page.getByRole("link", { name: "create a connection" })).toHaveAttribute("href", `/connections/new?client=${clientId}`);
  await expect(page.getByText("••••ed01").first()).toBeVisible();
  await expect(page.getByText("eu, us")).toBeVisible();

  // The redirect URI to paste into Zoho's console, copied with one click.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: CONSOLE_URL });
  await expect(page.getByLabel("Redirect URI")).toHaveValue(`${CONSOLE_URL}/api/oauth/callback`);
  await page.getByRole("button", { name: "Copy" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${CONSOLE_URL}/api/oauth/callback`);

  // Edit: markup in a name is shown as text.
  const edited = `${name} <b>bold</b>`;
  await page.getByLabel("Name").fill(edited);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: edited })).toBeVisible();

  // Replace the secret: neither value ever reaches the page.
  await page.getByLabel("Replace client secret").fill(SECRET_2);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("New secret saved.")).toBeVisible();
  await expect(page.getByText("••••7777").first()).toBeVisible();
  const html = await (await page.request.get(page.url())).text();
  expect(html).not.toContain(SECRET_1);
  expect(html).not.toContain(SECRET_2);
  expect(await page.content()).not.toContain(SECRET_2);

  // A duplicate name is refused at the field.
  await page.goto("/clients/new");
  await fillClient(page, edited);
  await page.getByLabel("Client ID").fill("1000.ANOTHERCLIENTABCDEFGHIJKLMNOPQ");
  await page.getByRole("button", { name: "Register client" }).click();
  await expect(page.getByText("Another client already has this name.")).toBeVisible();

  // Delete asks first.
  await page.goto("/clients");
  await page.getByRole("link", { name: edited }).click();
  await page.getByRole("button", { name: "Delete client" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("heading", { level: 1, name: edited })).toBeVisible();
  await page.getByRole("button", { name: "Delete client" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete client" }).click();
  await expect(page).toHaveURL(/\/clients\?deleted=1/);
  await expect(page.getByRole("link", { name: edited })).toHaveCount(0);
});

test("a viewer sees clients without edit controls, and the server refuses a direct edit", async ({ page, browser }) => {
  await page.goto("/clients");
  await page.getByRole("link", { name: "Sandbox demo client" }).click();
  await expect(page).toHaveURL(/\/clients\/\d+$/);
  const detailUrl = page.url();
  await page.getByLabel("Name").fill("Renamed by a viewer");
  const edit = await captureServerAction(page, () => page.getByRole("button", { name: "Save changes" }).click());

  const email = uniqueEmail("viewer");
  await addUser(page, "viewer", email, "viewer-password-1");

  const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: { cookies: [], origins: [] } });
  const viewer = await ctx.newPage();
  await signInAs(viewer, email, "viewer-password-1");
  await viewer.goto("/clients");
  await expect(viewer.getByRole("link", { name: "Sandbox demo client" })).toBeVisible();
  await expect(viewer.getByRole("link", { name: "New client" })).toHaveCount(0);
  await viewer.goto(detailUrl);
  await expect(viewer.getByText("1000.SANDBOXDEMOCLIENT0000000000001").first()).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Save changes" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Delete client" })).toHaveCount(0);
  await viewer.goto("/clients/new");
  await expect(viewer.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();

  const replay = await replayServerAction(viewer.request, edit);
  expect(replay.text).toContain("Your role does not allow this action.");
  await ctx.close();

  await page.goto(detailUrl);
  await expect(page.getByRole("heading", { level: 1, name: "Sandbox demo client" })).toBeVisible();
});
