// Runs first after the first-run set-up (file order), so it makes the client, connection and
// API key its pages need and removes them again: later specs expect a console with no clients.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { addSandboxDemoClient, connectSingleDeskUser, resetSandbox } from "./connect-helpers";
import { seriousAxeViolations } from "./axe";
import { leaveConsoleEmpty } from "./clean-up";
import { ADMIN_STATE, CONSOLE_URL } from "./env";
import { addUser, signInAs, uniqueEmail } from "./helpers";

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const VIEWER = { email: uniqueEmail("a11y-viewer"), password: "viewer-password-a11y" };
const made: { clientRef?: number; connectionId?: number; keyId?: number } = {};

/** Fails on any serious or critical axe violation, naming each rule and the elements it hit. */
async function expectAccessible(page: Page, what: string) {
  await expect(page.locator("h1").first()).toBeVisible();
  await expect(page.getByTestId("page-loading")).toHaveCount(0);
  // The API reference renders in the browser after load: check it once it is there.
  if (new URL(page.url()).pathname === "/docs/api") await expect(page.locator(".swagger-ui .opblock").first()).toBeVisible();
  expect.soft(await seriousAxeViolations(page), `axe on ${what}`).toEqual([]);
}

async function newSignedOut(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: { cookies: [], origins: [] } });
  return ctx.newPage();
}

test("set up a client, a connection, an API key and a viewer to look at", async ({ page }) => {
  test.setTimeout(120_000);
  await resetSandbox(page.request);
  made.clientRef = await addSandboxDemoClient(page);
  ({ connectionId: made.connectionId } = await connectSingleDeskUser(page, made.clientRef, "Accessibility check"));
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill("Accessibility key");
  await page.getByLabel("All connections").check();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByLabel("New API key")).toHaveValue(/^zoc_/);
  await page.goto("/settings/api-keys");
  const href = await page.getByRole("link", { name: "Accessibility key" }).first().getAttribute("href");
  made.keyId = Number(/\/settings\/api-keys\/(\d+)/.exec(href ?? "")![1]);
  await addUser(page, "viewer", VIEWER.email, VIEWER.password);
});

test("every main page has no serious or critical axe violation, as admin", async ({ page }) => {
  test.setTimeout(480_000);
  const pages: Array<[string, string]> = [
    ["overview", "/"],
    ["connections", "/connections"],
    ["a connection", `/connections/${made.connectionId}`],
    ["new connection", "/connections/new"],
    ["organisation binding", `/connections/${made.connectionId}/binding`],
    ["connect links", "/connect-links"],
    ["share a connect link", "/connect-links/new"],
    ["clients", "/clients"],
    ["a client", `/clients/${made.clientRef}`],
    ["new client", "/clients/new"],
    ["scopes", "/scopes"],
    ["audit", "/audit"],
    ["settings", "/settings"],
    ["users", "/settings/users"],
    ["API keys", "/settings/api-keys"],
    ["an API key", `/settings/api-keys/${made.keyId}`],
    ["alerts", "/settings/alerts"],
    ["incidents", "/incidents"],
    ["API docs", "/docs/api"],
  ];
  for (const [what, path] of pages) {
    await page.goto(path);
    await expectAccessible(page, `${what} (${path}) as admin`);
  }
  // The quick jump dialog, open with results.
  await page.goto("/connections");
  await page.keyboard.press("Control+k");
  await page.getByRole("combobox", { name: "Jump to" }).fill("Accessibility");
  await expect(page.getByRole("dialog").getByRole("option", { name: /Accessibility check/ })).toBeVisible();
  await expectAccessible(page, "the quick jump dialog");
});

test("every page a viewer opens has no serious or critical axe violation, nor has sign-in", async ({ browser }) => {
  test.setTimeout(360_000);
  const viewer = await newSignedOut(browser);
  await viewer.goto("/login");
  await expectAccessible(viewer, "sign-in");
  await viewer.getByLabel("Email").fill(VIEWER.email);
  await viewer.getByLabel("Password").fill("wrong password here");
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await expect(viewer.getByText("Wrong email or password.")).toBeVisible();
  await expectAccessible(viewer, "sign-in with an error");
  await signInAs(viewer, VIEWER.email, VIEWER.password);
  const pages: Array<[string, string]> = [
    ["overview", "/"],
    ["connections", "/connections"],
    ["a connection", `/connections/${made.connectionId}`],
    ["clients", "/clients"],
    ["a client", `/clients/${made.clientRef}`],
    ["scopes", "/scopes"],
    ["audit", "/audit"],
    ["settings", "/settings"],
    ["API docs", "/docs/api"],
    ["a refused page", "/settings/users"],
  ];
  for (const [what, path] of pages) {
    await viewer.goto(path);
    await expectAccessible(viewer, `${what} (${path}) as viewer`);
  }
  await viewer.context().close();
});

test("the keyboard reaches the main controls, each with a visible focus ring", async ({ page }) => {
  await page.goto("/connections");
  await expect(page.getByRole("heading", { level: 1, name: "Connections" })).toBeVisible();
  await expect(page.getByTestId("page-loading")).toHaveCount(0);
  const reached: string[] = [];
  for (let i = 0; i < 50; i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      // The ring must come from focus: compare with the same control unfocused (a box-shadow
      // of ring-* or shadow-* classes is there either way), then give focus back to it so the
      // next Tab goes on from here.
      const look = () => {
        const s = getComputedStyle(el);
        const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : "";
        return { outline, shadow: s.boxShadow };
      };
      const focused = look();
      el.blur();
      const resting = look();
      el.focus({ focusVisible: true } as FocusOptions);
      const name = (el.getAttribute("aria-label") || el.innerText || (el as HTMLInputElement).placeholder || el.tagName).trim().split("\n")[0];
      const ring = (focused.outline !== "" && focused.outline !== resting.outline) || (focused.shadow !== "none" && focused.shadow !== resting.shadow);
      return { name, ring };
    });
    if (!focus) continue;
    expect(focus.ring, `focus ring on "${focus.name}"`).toBe(true);
    reached.push(focus.name);
  }
  for (const control of ["Overview", "Connections", "Audit", "Jump to…", "Sign out", "New connection", "Accessibility check"]) {
    expect(reached, `Tab reaches "${control}"`).toContainEqual(expect.stringContaining(control));
  }
  // Enter on a focused link follows it.
  await page.getByRole("link", { name: "Accessibility check" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Accessibility check" })).toBeVisible();
});

test("the first Tab on a dashboard page reaches the skip link, and Enter moves focus to main", async ({ page }) => {
  await page.goto("/connections");
  await expect(page.getByRole("heading", { level: 1, name: "Connections" })).toBeVisible();
  await expect(page.getByTestId("page-loading")).toHaveCount(0);
  const skip = page.getByRole("link", { name: "Skip to main content" });
  // Out of sight above the page until it has focus, then on screen.
  const before = (await skip.boundingBox())!;
  expect(before.y + before.height, "the skip link is out of sight before focus").toBeLessThanOrEqual(0);
  await page.keyboard.press("Tab");
  await expect(skip).toBeFocused();
  const shown = (await skip.boundingBox())!;
  expect(shown.y, "the focused skip link is on screen").toBeGreaterThanOrEqual(0);
  expect(shown.width, "the focused skip link can be read").toBeGreaterThan(40);
  await page.keyboard.press("Enter");
  const main = page.getByRole("main");
  await expect(main).toBeFocused();
  await expect(main).toHaveAttribute("id", "main");
  // The next Tab goes on inside the page, not back through the navigation.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.closest("main") !== null)).toBe(true);
  await expect(page.getByRole("link", { name: "New connection" }).first()).toBeFocused();
});

test.afterAll(async ({ browser }) => {
  // Leave the console as the first-run specs expect it: no client, no connection, no live key.
  await leaveConsoleEmpty(browser, {
    keyIds: made.keyId ? [made.keyId] : [],
    connectionIds: made.connectionId ? [made.connectionId] : [],
    clientRefs: made.clientRef ? [made.clientRef] : [],
  });
});

