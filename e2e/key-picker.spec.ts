// The API key form's connection picker: the page does not carry every connection; typing asks the
// server for matches, the keyboard picks them, chosen ones show as removable chips, and the key
// gets exactly those (created, then edited).
import { expect, test, type Page } from "@playwright/test";
import { seriousAxeViolations } from "./axe";
import { addSandboxDemoClient, connectSingleDeskUser, resetSandbox } from "./connect-helpers";
import { copyTaggedConnections, retireConnection } from "./console-db";
import { ADMIN_STATE, CONSOLE_URL } from "./env";

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);
const source = `picker-${run}-a`;
const copy = (i: number) => `picker-${run}-copy-${String(i).padStart(2, "0")}`;
const keyName = `picker-${run}-key`;
let sourceId: number;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE });
  const page = await context.newPage();
  await resetSandbox(page.request);
  const clientRef = await addSandboxDemoClient(page);
  sourceId = (await connectSingleDeskUser(page, clientRef, source)).connectionId;
  // More matches than one answer holds (20).
  await copyTaggedConnections(sourceId, 25, `picker-${run}-copy`, `picker:${run}`);
  await context.close();
});

// Its Zoho user's 20 refresh tokens are shared by the whole suite: later consents must not need to evict one.
test.afterAll(async () => {
  if (sourceId) await retireConnection(sourceId);
});

const chips = (page: Page) => page.getByRole("list", { name: "Connections chosen for the key" });

test("a key's connections are found by typing, picked by keyboard, shown as chips and saved", async ({ page }) => {
  // The page no longer carries a checklist of every connection.
  const html = await (await page.request.get("/settings/api-keys")).text();
  expect(html).not.toContain(copy(1));
  expect(html).not.toContain(source);

  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill(keyName);
  await expect(page.getByLabel("Chosen connections")).toBeChecked();
  const find = page.getByRole("combobox", { name: "Find connections" });
  const list = page.getByRole("listbox", { name: "Matching connections" });
  await find.focus();
  await page.keyboard.type(`picker-${run}-copy`);
  await expect(find).toHaveAttribute("aria-expanded", "true");
  await expect(list.getByRole("option")).toHaveCount(20);
  await expect(page.getByText("The first 20 matches; type more of a name to narrow them.")).toBeVisible();

  // Narrowed on the server: "…copy-2" is 20 to 25.
  await page.keyboard.type("-2");
  await expect(list.getByRole("option")).toHaveText([20, 21, 22, 23, 24, 25].map(copy));
  await expect(page.getByText("6 matches.")).toBeVisible();
  // The first is marked; ↓ marks the next and Enter adds it, the list staying open for more.
  await expect(find).toHaveAttribute("aria-activedescendant", (await list.getByRole("option").first().getAttribute("id"))!);
  await page.keyboard.press("ArrowDown");
  await expect(find).toHaveAttribute("aria-activedescendant", (await list.getByRole("option", { name: copy(21) }).getAttribute("id"))!);
  await page.keyboard.press("Enter");
  await expect(list.getByRole("option", { name: copy(21) })).toHaveAttribute("aria-selected", "true");
  await expect(chips(page).getByRole("listitem")).toHaveText([copy(21)]);
  // The theme follows the system's (no theme cookie): axe in light and in dark, the list open.
  for (const theme of ["dark", "light"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
    await expect(list).toBeVisible();
    expect(await seriousAxeViolations(page), `axe with the picker open (${theme})`).toEqual([]);
  }
  // Escape closes the list and keeps the choice; Enter in the box never submits the form.
  await page.keyboard.press("Escape");
  await expect(find).toHaveAttribute("aria-expanded", "false");
  await expect(list).toBeHidden();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("New API key")).toHaveCount(0);

  await find.fill(source);
  await expect(list.getByRole("option")).toHaveText([source]);
  await page.keyboard.press("Enter");
  await expect(chips(page).getByRole("listitem")).toHaveText([copy(21), source]);
  // Backspace in the empty box takes the last one out; a chip's button takes out its own.
  await find.fill("");
  await page.keyboard.press("Backspace");
  await expect(chips(page).getByRole("listitem")).toHaveText([copy(21)]);
  await find.fill(source);
  await list.getByRole("option", { name: source }).click();
  await find.fill(copy(3));
  await list.getByRole("option", { name: copy(3) }).click();
  await expect(chips(page).getByRole("listitem")).toHaveText([copy(21), source, copy(3)]);
  await page.getByRole("button", { name: `Remove ${copy(3)}` }).focus();
  await page.keyboard.press("Enter");
  await expect(chips(page).getByRole("listitem")).toHaveText([copy(21), source]);
  await expect(find).toBeFocused();
  // Clicking an option already chosen takes it out again.
  await find.fill(copy(21));
  await list.getByRole("option", { name: copy(21) }).click();
  await expect(chips(page).getByRole("listitem")).toHaveText([source]);
  await list.getByRole("option", { name: copy(21) }).click();
  await expect(chips(page).getByRole("listitem")).toHaveText([source, copy(21)]);

  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByLabel("New API key")).toHaveValue(/^zoc_/);

  // The key reaches exactly the two chosen; its edit form starts with them as chips.
  await page.goto("/settings/api-keys");
  await page.getByRole("link", { name: keyName, exact: true }).click();
  const allowed = page.getByRole("heading", { name: "Connections it may use" }).locator("xpath=..").getByRole("link");
  await expect(allowed).toHaveText([copy(21), source].sort());
  await expect(chips(page).getByRole("listitem")).toHaveText([copy(21), source].sort());
  await page.getByRole("button", { name: `Remove ${source}` }).click();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(`API key “${keyName}” saved.`)).toBeVisible();
  await page.reload();
  await expect(allowed).toHaveText([copy(21)]);
  await expect(chips(page).getByRole("listitem")).toHaveText([copy(21)]);
});

test("the picker's search answers signed-in people only, a bounded page at a time", async ({ page, browser }) => {
  const res = await page.request.get(`/api/connections/choices?q=${encodeURIComponent(`picker-${run}`)}`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { choices: { name: string }[]; more: boolean };
  expect(body.choices).toHaveLength(20);
  expect(body.more).toBe(true);
  // No session at all: the project's signed-in storage state is set aside.
  const stranger = await browser.newContext({ baseURL: CONSOLE_URL, storageState: { cookies: [], origins: [] } });
  // Signed out, the search is not answered: the proxy sends the browser to sign in.
  const refused = await stranger.request.get("/api/connections/choices?q=picker", { maxRedirects: 0 });
  expect(refused.status()).toBe(307);
  expect(refused.headers()["location"]).toMatch(/\/login\?callbackUrl=/);
  await stranger.close();
});
