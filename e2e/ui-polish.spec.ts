// Honest times, pages that end where their content ends, the client form, the overview's first
// action, filters that apply as they are chosen, favicon and dark theme, and the mobile menu.
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { addSandboxDemoClient, connectSingleDeskUser, resetSandbox } from "./connect-helpers";
import { ADMIN_STATE, CONSOLE_URL } from "./env";

test.use({ storageState: ADMIN_STATE });

const ZONE = "America/New_York";
const LOCALE = "de-DE";

let connectionId: number;
let connectionName: string;

async function newPage(browser: Browser, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE, ...options });
  return { context, page: await context.newPage() };
}

/** Errors a page logs: hydration mismatches, uncaught exceptions, CSP refusals. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || /hydrat|did not match|Refused to/i.test(m.text())) errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/**
 * The instant a time shown by a de-DE browser in New York means, read back by hand with the
 * offset it names ("01.06.2027, 10:30 GMT-4", seconds optional); undefined for any other shape.
 * Deliberately not Intl: the component formats with Intl, so its answer cannot be the check.
 */
function instantShown(text: string): { ms: number; seconds: boolean } | undefined {
  const m = /^(\d\d)\.(\d\d)\.(\d{4}), (\d{1,2}):(\d\d)(?::(\d\d))? GMT-([45])$/.exec(text);
  if (!m) return undefined;
  const [, day, month, year, hour, minute, second, offset] = m.map(Number);
  return { ms: Date.UTC(year, month - 1, day, hour + offset, minute, m[6] ? second : 0), seconds: m[6] !== undefined };
}

/** Every <time> in `scope` shows its instant in New York, German style, with the zone. */
async function expectLocalTimes(page: Page, where: string, scope = page.locator("main")) {
  const times = scope.locator("time[datetime][data-local]");
  await expect(times.first(), `${where}: a local time`).toBeVisible();
  const all = await times.evaluateAll((els) => els.map((e) => ({ iso: e.getAttribute("datetime")!, text: e.textContent!, title: e.getAttribute("title") })));
  for (const t of all) {
    expect(t.title, `${where}: ISO time in the tooltip`).toBe(t.iso);
    const shown = instantShown(t.text);
    expect(shown, `${where}: "${t.text}" reads as a de-DE time in New York`).toBeDefined();
    // Shown to the minute (or second): the instant cut down to that is what the text must say.
    const unit = shown!.seconds ? 1000 : 60_000;
    expect(new Date(shown!.ms).toISOString(), `${where}: "${t.text}" for ${t.iso}`).toBe(new Date(Math.floor(Date.parse(t.iso) / unit) * unit).toISOString());
  }
  // Nothing on the page is left in UTC once mounted.
  await expect(scope.getByText(/\d UTC$/)).toHaveCount(0);
}

// One fresh connection, refreshed once so it has a last refresh time, for the checks below.
test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  const { context, page } = await newPage(browser);
  await resetSandbox(page.request);
  const clientRef = await addSandboxDemoClient(page);
  connectionName = `ui-times-${Date.now()}`;
  ({ connectionId } = await connectSingleDeskUser(page, clientRef, connectionName));
  await page.goto(`/connections/${connectionId}`);
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByText("Refreshed: a new access token is stored.")).toBeVisible();
  await context.close();
});

test.describe("a browser in New York, in German", () => {
  test.use({ timezoneId: ZONE, locale: LOCALE });

  test("times show in the browser's zone and locale, with the zone, without hydration errors", async ({ page: ny }) => {
    test.setTimeout(90_000);
    const errors = watchErrors(ny);

    // The server's HTML says UTC plainly; the browser replaces it with local time on mount.
    const html = await (await ny.request.get(`/connections/${connectionId}`)).text();
    expect(html).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC/);

    await ny.goto(`/connections/${connectionId}`);
    await expectLocalTimes(ny, "connection detail");
    await expect(ny.getByTestId("token-expires-at")).toContainText(/GMT-[45]/);
    // The relative hint ticks without a reload (refreshed just now, so it counts seconds).
    await ny.getByRole("button", { name: "Refresh now" }).click();
    await expect(ny.getByText("Refreshed: a new access token is stored.")).toBeVisible();
    const hint = ny.getByText(/^\s*\(\d+ s ago\)$/).first();
    const before = await hint.textContent();
    await expect(hint).not.toHaveText(before!, { timeout: 5_000 });

    await ny.goto(`/connections?q=${encodeURIComponent(connectionName)}`);
    await expectLocalTimes(ny, "connection list", ny.getByTestId(`connection-row-${connectionId}`));

    await ny.goto("/");
    await expectLocalTimes(ny, "overview");

    await ny.goto("/audit");
    await expectLocalTimes(ny, "audit");
    await expect(ny.getByTestId("audit-zone")).toContainText(ZONE);

    // A fixed instant, typed in New York's summer time: stored as that instant, shown as typed.
    const keyName = `ui-times-key-${Date.now()}`;
    await ny.goto("/settings/api-keys");
    await ny.getByLabel("Name").fill(keyName);
    await ny.getByLabel("All connections").check();
    await ny.getByLabel("Expires (optional)").fill("2027-06-01T10:30");
    await ny.getByRole("button", { name: "Create key" }).click();
    await expect(ny.getByLabel("New API key")).toHaveValue(/^zoc_/);
    await ny.goto("/settings/api-keys");
    await expectLocalTimes(ny, "API keys");
    const expiry = ny.getByRole("row").filter({ hasText: keyName }).locator("time[data-local]").first();
    await expect(expiry).toHaveAttribute("datetime", "2027-06-01T14:30:00.000Z");
    await expect(expiry).toHaveText("01.06.2027, 10:30 GMT-4");

    expect(errors, "no hydration or script errors").toEqual([]);
  });
});

const MAIN_PAGES = [
  "/",
  "/clients",
  "/clients/new",
  "/connections",
  "/connections/new",
  "/connections/self-client",
  "/scopes",
  "/audit",
  "/settings",
  "/settings/users",
  "/settings/api-keys",
];

test("no page scrolls past its content", async ({ page }) => {
  test.setTimeout(120_000);
  for (const path of [...MAIN_PAGES, `/connections/${connectionId}`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const m = await page.evaluate(() => {
      // The lowest visible pixel of content: an element inside a scroll box counts only as far
      // as the box shows it (parents come before children in document order).
      const clip = new Map<Element, number>([[document.body, Infinity]]);
      let bottom = 0;
      for (const el of document.body.querySelectorAll("*")) {
        const parent = el.parentElement!;
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        const parentClip = clip.get(parent) ?? Infinity;
        clip.set(el, s.overflowY !== "visible" || s.overflowX !== "visible" ? Math.min(parentClip, r.bottom) : parentClip);
        // Screen-reader-only text is 1×1 px and never counts as content.
        if (r.width <= 1 || r.height <= 1 || s.visibility === "hidden") continue;
        const shown = Math.min(r.bottom, parentClip);
        if (shown > r.top) bottom = Math.max(bottom, shown + window.scrollY);
      }
      return { scrollHeight: document.documentElement.scrollHeight, bottom, viewport: window.innerHeight };
    });
    expect(m.scrollHeight, `${path}: document ${m.scrollHeight}px for content ending at ${Math.round(m.bottom)}px`).toBeLessThanOrEqual(m.bottom + m.viewport);
  }
});

test("the client form shows the whole redirect URI, self-client steps, and links to a client already registered", async ({ browser }) => {
  const { context, page } = await newPage(browser, { viewport: { width: 1440, height: 900 } });
  await page.goto("/clients/new");
  const uri = page.getByLabel("Redirect URI");
  await expect(uri).toHaveValue(`${CONSOLE_URL}/api/oauth/callback`);
  const fit = await uri.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { overflowX: el.scrollWidth - el.clientWidth, overflowY: el.scrollHeight - el.clientHeight, right: r.right, width: window.innerWidth };
  });
  expect(fit.overflowX, "no hidden text to the side").toBeLessThanOrEqual(0);
  expect(fit.overflowY, "no hidden text below").toBeLessThanOrEqual(1);
  expect(fit.right).toBeLessThanOrEqual(fit.width);

  // A self client has no redirect URI: its own steps replace the server-based ones.
  await page.getByLabel("Self client").check();
  await expect(page.getByLabel("Redirect URI")).toHaveCount(0);
  await expect(page.getByText("Authorized Redirect URIs")).toHaveCount(0);
  await expect(page.getByTestId("client-setup-steps")).toHaveAttribute("data-client-type", "self");
  await expect(page.getByTestId("client-setup-steps")).toContainText("Self Client");
  await page.getByLabel("Server-based application").check();
  await expect(page.getByText("Authorized Redirect URIs")).toBeVisible();

  // Registering a client id twice links to the client that has it.
  const clientId = `1000.${Array.from({ length: 30 }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[Math.floor(Math.random() * 36)]).join("")}`;
  const register = async (name: string) => {
    await page.goto("/clients/new");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Local sandbox").check();
    await page.getByLabel("Self client").check();
    await page.getByLabel("Client ID").fill(clientId);
    await page.getByLabel("Client secret").fill("0123456789abcdef0123456789abcdef01234567ab");
    await page.getByRole("button", { name: "Register client" }).click();
  };
  const first = `ui-first-${Date.now()}`;
  await register(first);
  await expect(page.getByRole("heading", { level: 1, name: first })).toBeVisible();
  await register(`ui-second-${Date.now()}`);
  await expect(page.getByText(`This client id is already registered here as “${first}”.`)).toBeVisible();
  await page.getByRole("link", { name: `Open the client “${first}”` }).click();
  await expect(page.getByRole("heading", { level: 1, name: first })).toBeVisible();
  await context.close();
});

test("with clients registered the overview does not lead with adding one", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Add a Zoho client" })).toHaveCount(0);
});

test("connection filters apply as they are chosen; the search is debounced and its placeholder fits", async ({ page }) => {
  await page.goto("/connections");
  await expect(page.getByRole("button", { name: "Apply" })).toHaveCount(0);
  const search = page.getByLabel("Search connections");

  const placeholder = await search.evaluate((el: HTMLInputElement) => {
    const s = getComputedStyle(el);
    const ctx = document.createElement("canvas").getContext("2d")!;
    ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    return { text: ctx.measureText(el.placeholder).width, room: el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) };
  });
  expect(placeholder.text, "placeholder width").toBeLessThanOrEqual(placeholder.room);

  // Typing applies once it pauses: the URL follows and the list narrows, and the box keeps focus.
  await search.pressSequentially(connectionName, { delay: 20 });
  await expect(page).toHaveURL(new RegExp(`[?&]q=${connectionName}`));
  await expect(page.getByTestId(`connection-row-${connectionId}`)).toBeVisible();
  await expect(page.locator('[data-testid^="connection-row-"]')).toHaveCount(1);
  await expect(search).toBeFocused();
  await expect(search).toHaveValue(connectionName);

  // A select applies at once, keeping the search.
  await page.getByLabel("Status").selectOption("revoked");
  await expect(page).toHaveURL(/[?&]status=revoked/);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${connectionName}`));
  await expect(page.getByText("No connection matches these filters.")).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(/\/connections$/);
  await expect(page.getByLabel("Search connections")).toHaveValue("");
});

/** The rendered colour of a CSS colour value, as sRGB bytes (Chrome computes oklch as such). */
const contrastOf = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((el) => {
    const ctx = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
    const rgb = (c: string) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = c;
      ctx.fillRect(0, 0, 1, 1);
      return Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
    };
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let bgEl: Element | null = el;
    let bg = "rgba(0, 0, 0, 0)";
    while (bgEl && /rgba\(0, 0, 0, 0\)|transparent/.test(bg)) {
      bg = getComputedStyle(bgEl).backgroundColor;
      bgEl = bgEl.parentElement;
    }
    const fg = el instanceof SVGElement ? getComputedStyle(el).fill : getComputedStyle(el).color;
    const [a, b] = [lum(rgb(fg)), lum(rgb(bg))].sort((x, y) => y - x);
    return { ratio: (a + 0.05) / (b + 0.05), background: lum(rgb(bg)) };
  });

test("favicon and a dark theme that follows the system, with a remembered switch", async ({ browser, request }) => {
  const icon = await request.get("/icon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  expect((await request.get("/favicon.ico")).status()).toBe(200);

  const { context, page } = await newPage(browser, { colorScheme: "dark" });
  const errors = watchErrors(page);
  await page.goto("/");
  await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute("href", /icon/);
  // System is the default: a dark system gets the dark theme.
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  const body = await contrastOf(page, "h1");
  expect(body.background, "dark page").toBeLessThan(0.05);
  expect(body.ratio, "heading readable").toBeGreaterThan(7);

  // Badges and chart labels stay readable in dark.
  await page.goto(`/connections?q=${encodeURIComponent(connectionName)}`);
  expect((await contrastOf(page, '[data-testid="connection-status"]')).ratio, "status badge").toBeGreaterThan(4.5);
  await page.goto(`/connections/${connectionId}`);
  await expect(page.locator(".recharts-cartesian-axis-tick-value").first()).toBeVisible();
  expect((await contrastOf(page, ".recharts-cartesian-axis-tick-value")).ratio, "chart axis").toBeGreaterThan(4.5);
  // A light surface with a hover shade keeps its hover in dark (the dark surface must step aside).
  // (On the connection page: its secondary buttons, white with a hover shade in light.)
  const range = page.locator('button.bg-white[class~="hover:bg-slate-50"]:visible').first();
  const shade = () => range.evaluate((el) => getComputedStyle(el).backgroundColor);
  const resting = await shade();
  expect(resting, "dark surface, not white").not.toMatch(/^rgb\(255, 255, 255\)|oklch\(1 /);
  await range.hover();
  await expect.poll(shade, { message: "hover shade in dark" }).not.toBe(resting);
  await page.mouse.move(0, 0);

  // The switch overrides the system and is remembered, applied before the first paint.
  const switcher = page.getByRole("radiogroup", { name: "Colour theme" });
  await switcher.getByRole("radio", { name: "Light" }).click();
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
  await expect(switcher.getByRole("radio", { name: "Light" })).toHaveAttribute("aria-checked", "true");
  await page.addInitScript(() => {
    document.addEventListener("readystatechange", () => {
      if (document.readyState === "interactive") (window as unknown as { darkAtParse: boolean }).darkAtParse = document.documentElement.classList.contains("dark");
    });
  });
  await page.reload();
  expect(await page.evaluate(() => (window as unknown as { darkAtParse: boolean }).darkAtParse)).toBe(false);
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
  expect((await contrastOf(page, "h1")).background, "light page").toBeGreaterThan(0.8);

  await switcher.getByRole("radio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await switcher.getByRole("radio", { name: "System" }).click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "light" });
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
  expect(errors, "no CSP refusals or script errors").toEqual([]);
  await context.close();
});

test("the mobile menu reaches Settings' pages", async ({ browser }) => {
  const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Sections" });
  const menu = page.getByRole("button", { name: "Menu" });
  await menu.click();
  await expect(nav).toBeVisible();
  for (const name of ["Overview", "Connections", "Settings", "Users", "API keys"]) await expect(nav.getByRole("link", { name, exact: true })).toBeVisible();
  await nav.getByRole("link", { name: "API keys", exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await menu.click();
  await nav.getByRole("link", { name: "Users", exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/users$/);
  await context.close();
});
