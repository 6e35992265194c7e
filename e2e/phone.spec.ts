// The console on a 390×844 phone: no page scrolls sideways and each page's primary action is in
// view, in light and dark; the header folds into a menu that works by keyboard; the lists are
// cards (tables again on a desktop); a thin bar shows while a page loads.
import { expect, test, type Browser, type BrowserContextOptions, type Locator, type Page } from "@playwright/test";
import { seriousAxeViolations } from "./axe";
import { addSandboxDemoClient, connectSingleDeskUser, resetSandbox } from "./connect-helpers";
import { copyTaggedConnections } from "./console-db";
import { ADMIN_STATE, CONSOLE_URL } from "./env";

test.use({ storageState: ADMIN_STATE });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

let connectionId: number;
let connectionName: string;
let clientId: number;
let keyId: number;

async function newPage(browser: Browser, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE, ...options });
  return { context, page: await context.newPage() };
}

// A connection, a client and an API key, so every list has a row and every detail page exists.
test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  const { context, page } = await newPage(browser, { viewport: DESKTOP });
  await resetSandbox(page.request);
  clientId = await addSandboxDemoClient(page);
  connectionName = `phone-${Date.now()}`;
  ({ connectionId } = await connectSingleDeskUser(page, clientId, connectionName));
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill(`${connectionName}-key`);
  await page.getByLabel("All connections").check();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByLabel("New API key")).toHaveValue(/^zoc_/);
  await page.goto("/settings/api-keys");
  const href = await page.getByRole("link", { name: `${connectionName}-key`, exact: true }).getAttribute("href");
  keyId = Number(/\/settings\/api-keys\/(\d+)/.exec(href ?? "")![1]);
  await context.close();
});

/** Every main page of app/(dashboard) and what a person comes to it to do. */
const MAIN_PAGES: Array<{ path: () => string; primary: (main: Locator) => Locator }> = [
  { path: () => "/", primary: (m) => m.getByRole("heading", { level: 1 }) },
  { path: () => "/connections", primary: (m) => m.getByRole("link", { name: "New connection" }) },
  { path: () => `/connections/${connectionId}`, primary: (m) => m.getByRole("button", { name: "Refresh now" }) },
  { path: () => `/connections/${connectionId}/binding`, primary: (m) => m.getByRole("heading", { level: 1 }) },
  { path: () => "/connections/new", primary: (m) => m.getByRole("button", { name: "Authorize in Zoho" }) },
  { path: () => "/connections/self-client", primary: (m) => m.getByRole("heading", { level: 1 }) },
  { path: () => "/clients", primary: (m) => m.getByRole("link", { name: "New client" }) },
  { path: () => `/clients/${clientId}`, primary: (m) => m.getByRole("button", { name: "Save changes" }) },
  { path: () => "/clients/new", primary: (m) => m.getByRole("button", { name: "Register client" }) },
  { path: () => "/scopes", primary: (m) => m.getByRole("searchbox", { name: "Search the catalogue" }) },
  { path: () => "/audit", primary: (m) => m.getByRole("link", { name: "Export CSV" }) },
  { path: () => "/connect-links", primary: (m) => m.getByRole("link", { name: "Share a connect link" }).first() },
  { path: () => "/connect-links/new", primary: (m) => m.getByRole("button", { name: "Create link" }) },
  { path: () => "/incidents", primary: (m) => m.getByRole("heading", { level: 1 }) },
  { path: () => "/settings", primary: (m) => m.getByRole("heading", { level: 1 }) },
  { path: () => "/settings/users", primary: (m) => m.getByRole("button", { name: "Add user" }) },
  { path: () => "/settings/api-keys", primary: (m) => m.getByRole("button", { name: "Create key" }) },
  { path: () => `/settings/api-keys/${keyId}`, primary: (m) => m.getByRole("button", { name: "Save changes" }) },
  { path: () => "/settings/alerts", primary: (m) => m.getByRole("button", { name: "Add destination" }) },
  { path: () => "/account", primary: (m) => m.getByRole("button", { name: "Change password" }) },
  // The rendered API reference (Swagger UI's title), so the width is measured once it is drawn.
  { path: () => "/docs/api", primary: (m) => m.getByRole("heading", { name: /Zoho OAuth Console API/ }) },
];

async function expectFitsPhone(page: Page, what: string, primary: Locator) {
  await expect(primary, `${what}: primary action`).toBeVisible();
  const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(width.scroll, `${what}: page ${width.scroll}px wide on a ${width.inner}px screen`).toBeLessThanOrEqual(width.inner);
  const box = (await primary.boundingBox())!;
  expect(box.x, `${what}: primary action starts on screen`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: primary action ends on screen`).toBeLessThanOrEqual(PHONE.width);
}

for (const theme of ["light", "dark"] as const) {
  test(`no main page scrolls sideways at 390×844 and its primary action is in view (${theme})`, async ({ browser }) => {
    test.setTimeout(180_000);
    const { context, page } = await newPage(browser, { viewport: PHONE, colorScheme: theme });
    await context.addCookies([{ name: "theme", value: theme, url: CONSOLE_URL }]);
    for (const p of MAIN_PAGES) {
      const path = p.path();
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      await expectFitsPhone(page, `${path} (${theme})`, p.primary(page.getByRole("main")));
    }
    await context.close();
  });
}

test("the open menu is readable in the dark theme: a dark panel, every label passes the contrast check", async ({ browser }) => {
  const { context, page } = await newPage(browser, { viewport: PHONE, colorScheme: "dark" });
  await context.addCookies([{ name: "theme", value: "dark", url: CONSOLE_URL }]);
  await page.goto("/settings");
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.getByRole("button", { name: "Menu" }).click();
  const panel = page.getByTestId("header-menu");
  await expect(panel.getByRole("navigation", { name: "Sections" })).toBeVisible();
  const background = await panel.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(background, "the panel is not white in dark").not.toMatch(/^rgb\(255, 255, 255\)|oklch\(1 /);
  expect(await seriousAxeViolations(page), "axe with the menu open in dark").toEqual([]);
  await context.close();
});

test("the header folds into a menu that opens, is used and closes by keyboard", async ({ browser }) => {
  const { context, page } = await newPage(browser, { viewport: PHONE });
  await page.goto("/settings");
  const menu = page.getByRole("button", { name: "Menu" });
  const panel = page.getByTestId("header-menu");
  // Folded: the sidebar and Sign out are out of sight, the menu button in sight.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(panel).toHaveAttribute("id", (await menu.getAttribute("aria-controls"))!);

  // Enter opens it and moves focus to its first link; every section and the header's controls are in it.
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const sections = panel.getByRole("navigation", { name: "Sections" });
  await expect(sections.getByRole("link", { name: "Overview" })).toBeFocused();
  for (const name of ["Clients", "Connections", "Audit", "Users", "API keys", "Alerts"]) {
    await expect(sections.getByRole("link", { name, exact: true })).toBeVisible();
  }
  await expect(sections.getByRole("link", { name: "Settings", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(panel.getByRole("radiogroup", { name: "Colour theme" })).toBeVisible();
  await expect(panel.getByTestId("current-user")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Jump to…" })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "the open menu fits the screen").toBeLessThanOrEqual(PHONE.width);
  expect(await seriousAxeViolations(page), "axe with the menu open").toEqual([]);

  // Tab walks the menu; Escape closes it and gives focus back to the button.
  await page.keyboard.press("Tab");
  await expect(sections.getByRole("link", { name: "Clients" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();
  await expect(panel).toBeHidden();

  // Space opens it again; following a link goes there and folds the menu.
  await page.keyboard.press(" ");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await sections.getByRole("link", { name: "Connections", exact: true }).press("Enter");
  await expect(page).toHaveURL(/\/connections$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(panel).toBeHidden();

  // The quick jump stays one tap away.
  await page.getByRole("button", { name: "Jump to…" }).click();
  await expect(page.getByRole("combobox", { name: "Jump to" })).toBeFocused();
  await page.keyboard.press("Escape");
  await context.close();
});

test("the phone menu lists the person's saved views under a heading, as the sidebar does, and opens them by keyboard", async ({ browser }) => {
  const run = Date.now().toString(36);
  // Saved in the reverse of the order they are listed in (by name), each with its own filters.
  const views = [
    { name: `Phone view ${run} b`, query: `q=${encodeURIComponent(connectionName)}&sort=expiry` },
    { name: `Phone view ${run} a`, query: `q=${encodeURIComponent(connectionName)}&sort=name` },
  ];
  const desktop = await newPage(browser, { viewport: DESKTOP });
  const sidebarViews = desktop.page.getByRole("list", { name: "Saved views" });
  for (const v of views) {
    await desktop.page.goto(`/connections?${v.query}`);
    await desktop.page.getByRole("button", { name: "Save view" }).click();
    await desktop.page.getByRole("dialog").getByLabel("Name").fill(v.name);
    await desktop.page.getByRole("dialog").getByRole("button", { name: "Save", exact: true }).click();
    await expect(sidebarViews.getByRole("link", { name: v.name })).toBeVisible();
  }
  const sidebarLinks = sidebarViews.getByRole("link");
  const inSidebar = { names: await sidebarLinks.allTextContents(), hrefs: await sidebarLinks.evaluateAll((ls) => ls.map((l) => l.getAttribute("href"))) };
  expect(inSidebar.names.filter((n) => n.includes(run))).toEqual([views[1].name, views[0].name]);

  for (const theme of ["light", "dark"] as const) {
    const { context, page } = await newPage(browser, { viewport: PHONE, colorScheme: theme });
    await context.addCookies([{ name: "theme", value: theme, url: CONSOLE_URL }]);
    await page.goto("/settings");
    const menu = page.getByRole("button", { name: "Menu" });
    await menu.focus();
    await page.keyboard.press("Enter");
    const saved = page.getByTestId("header-menu").getByRole("navigation", { name: "Saved views" });
    await expect(saved.getByRole("heading", { name: "Saved views" })).toBeVisible();
    const links = saved.getByRole("link");
    // The same links, in the same order, as the sidebar on a desktop.
    expect(await links.allTextContents()).toEqual(inSidebar.names);
    expect(await links.evaluateAll((ls) => ls.map((l) => l.getAttribute("href")))).toEqual(inSidebar.hrefs);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), "the open menu fits the screen").toBeLessThanOrEqual(PHONE.width);
    expect(await seriousAxeViolations(page), `axe with saved views in the menu (${theme})`).toEqual([]);

    // Tab goes from the last section to the first saved view; Enter opens it and folds the menu.
    await page.getByTestId("header-menu").getByRole("navigation", { name: "Sections" }).getByRole("link").last().focus();
    await page.keyboard.press("Tab");
    const first = saved.getByRole("link", { name: inSidebar.names[0], exact: true });
    await expect(first).toBeFocused();
    const target = saved.getByRole("link", { name: views[1].name, exact: true });
    await target.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`${CONSOLE_URL}/connections?${views[1].query}`);
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(page.getByTestId(`connection-row-${connectionId}`)).toBeVisible();
    // Opened again, the menu marks the view being looked at.
    await menu.click();
    await expect(target).toHaveAttribute("aria-current", "page");
    await context.close();
  }

  for (const v of views) {
    await desktop.page.getByRole("button", { name: `Delete saved view ${v.name}` }).click();
    await expect(sidebarViews.getByRole("link", { name: v.name })).toHaveCount(0);
  }
  await desktop.context.close();
});

test("on a phone a box above the cards selects the page, offers every match, and the bulk bar counts them", async ({ browser }) => {
  const run = Date.now().toString(36);
  const tag = `phone:${run}`;
  // More than a page (20) of connections carrying one tag.
  await copyTaggedConnections(connectionId, 21, `phone-select-${run}`, tag);
  for (const theme of ["light", "dark"] as const) {
    const { context, page } = await newPage(browser, { viewport: PHONE, colorScheme: theme });
    await context.addCookies([{ name: "theme", value: theme, url: CONSOLE_URL }]);
    await page.goto(`/connections?tag=${encodeURIComponent(tag)}`);
    const cardBoxes = page.getByRole("checkbox", { name: new RegExp(`^Select phone-select-${run}-`) });
    await expect(cardBoxes).toHaveCount(20);
    const pageBox = page.getByRole("checkbox", { name: "Select every connection on this page" });
    await expect(pageBox).toBeVisible();
    await expect(page.getByText("Select every connection on this page")).toBeVisible();
    const b = (await pageBox.boundingBox())!;
    expect(b.x + b.width, "the box is on screen").toBeLessThanOrEqual(PHONE.width);

    // By keyboard: Space on the box ticks every card on the page.
    await pageBox.focus();
    await page.keyboard.press("Space");
    await expect(pageBox).toBeChecked();
    for (const box of await cardBoxes.all()) await expect(box).toBeChecked();
    await expect(page.getByTestId("selection-count")).toHaveText("20 connections selected");
    await expect(page.getByRole("toolbar", { name: "Bulk actions" })).toBeVisible();

    // Then every match of the filter, as on a desktop.
    await page.getByRole("button", { name: "Select all 21 matching connections" }).click();
    await expect(page.getByTestId("selection-count")).toHaveText("21 connections selected (every match of the filter)");
    const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    expect(width.scroll, `the list with the bulk bar is ${width.scroll}px wide on a ${width.inner}px screen`).toBeLessThanOrEqual(width.inner);
    expect(await seriousAxeViolations(page), `axe on the selected cards (${theme})`).toEqual([]);

    // Unticked, the box clears every card and the bar goes.
    await pageBox.uncheck();
    for (const box of await cardBoxes.all()) await expect(box).not.toBeChecked();
    await expect(page.getByTestId("selection-count")).toHaveCount(0);
    await context.close();
  }
});

test("lists are cards on a phone (name, status, time left, next step) and tables on a desktop", async ({ browser }) => {
  const phone = await newPage(browser, { viewport: PHONE });
  const page = phone.page;
  await page.goto(`/connections?q=${encodeURIComponent(connectionName)}`);
  const row = page.getByTestId(`connection-row-${connectionId}`);
  await expect(row.getByRole("link", { name: connectionName, exact: true })).toBeVisible();
  await expect(row.getByTestId("connection-status")).toBeVisible();
  await expect(row.getByTestId("time-left")).toHaveText(/left/);
  await expect(row.getByTestId("next-step")).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Services" })).toBeHidden();
  // The card's four corners sit inside the screen: status on the right of the name, next step below it.
  const [name, status, next] = await Promise.all(
    [row.getByRole("link", { name: connectionName, exact: true }), row.getByTestId("connection-status"), row.getByTestId("next-step")].map((l) => l.boundingBox()),
  );
  expect(status!.x, "status beside the name").toBeGreaterThan(name!.x);
  expect(status!.x + status!.width).toBeLessThanOrEqual(PHONE.width);
  expect(next!.y, "next step below the status").toBeGreaterThan(status!.y);
  expect(await seriousAxeViolations(page), "axe on the connection cards").toEqual([]);

  await page.goto("/audit");
  const event = page.getByTestId("audit-row").first();
  await expect(event.locator("b")).toBeVisible();
  await expect(event.locator("time")).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Outcome" })).toBeHidden();
  const box = (await event.boundingBox())!;
  expect(box.x + box.width, "audit card within the screen").toBeLessThanOrEqual(PHONE.width);
  await event.getByRole("button", { name: /Show details/ }).click();
  await expect(page.locator('[id^="audit-detail-"]').first()).toBeVisible();
  expect(await seriousAxeViolations(page), "axe on the audit cards").toEqual([]);

  for (const [path, testId] of [["/settings/api-keys", `api-key-row-${keyId}`], ["/settings/users", "user-row-admin@console.test"]]) {
    await page.goto(path);
    const card = page.getByTestId(testId);
    await expect(card).toBeVisible();
    const b = (await card.boundingBox())!;
    expect(b.x + b.width, `${path}: card within the screen`).toBeLessThanOrEqual(PHONE.width);
  }
  await expect(page.getByTestId("user-row-admin@console.test").getByText("Active")).toBeVisible();
  await phone.context.close();

  const desktop = await newPage(browser, { viewport: DESKTOP });
  await desktop.page.goto(`/connections?q=${encodeURIComponent(connectionName)}`);
  for (const name of ["Services", "Organisation", "Zoho user", "Time left", "Last refresh"]) {
    await expect(desktop.page.getByRole("columnheader", { name })).toBeVisible();
  }
  await expect(desktop.page.getByTestId(`connection-row-${connectionId}`).getByTestId("next-step")).toBeHidden();
  await expect(desktop.page.getByRole("button", { name: "Menu" })).toBeHidden();
  await expect(desktop.page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await desktop.page.goto("/audit");
  await expect(desktop.page.getByRole("columnheader", { name: "Outcome" })).toBeVisible();
  await desktop.context.close();
});

test("a thin bar runs along the top while a page loads, and holds still with reduced motion", async ({ page }) => {
  // The next page answers slowly, so the bar can be seen while it waits. Held from the start: a
  // prefetch of the sidebar's link made before the hold would let the click land at once.
  await page.route(/\/audit(\?|$)/, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto("/settings");
  const bar = page.getByTestId("nav-progress");
  await expect(bar).toHaveCount(0);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await expect(bar).toHaveAttribute("data-state", "loading");
  const height = (await bar.boundingBox())!.height;
  expect(height, "thin").toBeLessThanOrEqual(3);
  await expect(page).toHaveURL(/\/audit$/);
  await expect(bar).toHaveAttribute("data-state", "done");
  await expect(bar).toHaveCSS("opacity", "0");
  await page.unroute(/\/audit(\?|$)/);

  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Scopes" }).click();
  await expect(page).toHaveURL(/\/scopes$/);
  await expect(bar).toHaveCSS("transition-property", "none");
});
