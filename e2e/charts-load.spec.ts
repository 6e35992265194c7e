// The charts draw after first paint (their Recharts code is not part of the page's first load):
// the page is usable while the chart's code is held back, the chart's placeholder has the chart's
// size so nothing moves when it arrives, the chart then draws (light and dark), and a chart whose
// code fails to load leaves a message and its table. Makes a client and a connection and removes
// them again: later specs expect a console with no clients.
import { expect, test, type Page } from "@playwright/test";
import { leaveConsoleEmpty } from "./clean-up";
import { addSandboxDemoClient, connectSingleDeskUser, resetSandbox } from "./connect-helpers";
import { ADMIN_STATE, CONSOLE_URL } from "./env";

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const made: { clientRef?: number; connectionId?: number } = {};
/** Chunk load and first draw on a busy two-core machine. */
const DRAWN = { timeout: 30_000 };

/** A chunk carrying Recharts' own drawing code (its wrapper's class name is in it). */
const isChartCode = (body: Buffer) => body.includes("recharts-wrapper");

/**
 * Holds back every script that carries Recharts until `release()`; `requested` lists them. The
 * page's other scripts pass untouched.
 */
async function holdChartCode(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const requested: string[] = [];
  await page.route(/\/_next\/static\/chunks\/.+\.js(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    if (isChartCode(body)) {
      requested.push(new URL(route.request().url()).pathname);
      await released;
    }
    await route.fulfill({ response, body });
  });
  return { release, requested };
}

/** Records every layout shift from the first paint on, with when it happened. */
async function watchLayoutShifts(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { layoutShifts: { value: number; at: number; sources: string[] }[] };
    w.layoutShifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; sources?: { node?: Node | null }[] })[]) {
        const sources = (e.sources ?? []).map((s) => (s.node instanceof Element ? `${s.node.tagName.toLowerCase()}.${s.node.getAttribute("class") ?? ""}` : String(s.node?.nodeName)));
        w.layoutShifts.push({ value: e.value, at: e.startTime, sources });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
}

const shiftsSince = (page: Page, since: number) =>
  page.evaluate(async (t) => {
    // Layout-shift entries are delivered after the frame that shifted: let two frames pass.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await new Promise((r) => setTimeout(r, 300));
    const w = window as unknown as { layoutShifts: { value: number; at: number; sources: string[] }[] };
    return w.layoutShifts.filter((s) => s.at >= t);
  }, since);

/** Where the chart's card, its box and the first thing after the card sit on the page. */
const layoutAround = (page: Page, testId: string) =>
  page.evaluate((id) => {
    const figure = document.querySelector(`figure[data-testid="${id}"]`);
    const card = figure?.parentElement;
    const box = figure?.querySelector("[data-chart-box]");
    const next = card?.nextElementSibling;
    if (!card || !box || !next) throw new Error(`no chart card, chart box or element after the card for ${id}`);
    const rect = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { top: r.top + window.scrollY, height: r.height, width: r.width };
    };
    return { card: rect(card), box: rect(box), next: rect(next) };
  }, testId);

const CHARTS = [
  { name: "the overview's refresh chart", path: () => "/", testId: "refresh-activity", marks: ".recharts-bar-rectangle" },
  { name: "a connection's token timeline", path: () => `/connections/${made.connectionId}`, testId: "token-timeline", marks: ".recharts-bar-rectangle" },
  { name: "a client's refresh-token chart", path: () => `/clients/${made.clientRef}`, testId: "refresh-token-history", marks: ".recharts-bar-rectangle" },
];

test("set up a client and a connection refreshed once", async ({ page }) => {
  test.setTimeout(120_000);
  await resetSandbox(page.request);
  made.clientRef = await addSandboxDemoClient(page);
  ({ connectionId: made.connectionId } = await connectSingleDeskUser(page, made.clientRef, "Charts load check"));
  await page.goto(`/connections/${made.connectionId}`);
  // A refresh: the overview's chart has a bar to draw, the timeline a second token.
  const budget = page.getByTestId("mint-budget");
  const before = await budget.textContent();
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(budget).not.toHaveText(before ?? "");
});

for (const chart of CHARTS) {
  test(`${chart.name} arrives after the page is usable and moves nothing`, async ({ page }) => {
    await watchLayoutShifts(page);
    const held = await holdChartCode(page);
    await page.goto(chart.path());
    const figure = page.getByTestId(chart.testId);
    const placeholder = figure.getByRole("status");
    await expect(placeholder).toHaveText("Loading chart…");

    // Usable without the chart's code: the page hydrated (the range switch answers) and the
    // chart's data is readable as a table.
    if (chart.testId === "refresh-activity") {
      const day = figure.getByRole("link", { name: "24 hours" });
      await day.click();
      await expect(day).toHaveAttribute("aria-current", "true");
      await expect(page).toHaveURL(/[?&]range=24h\b/);
    }
    if (chart.testId === "refresh-token-history") {
      const week = figure.getByRole("button", { name: "7 days" });
      await week.click();
      await expect(week).toHaveAttribute("aria-pressed", "true");
    }
    await figure.getByText("Show as table", { exact: true }).click();
    await expect(figure.getByRole("table").first().getByRole("row").nth(1)).toBeVisible();
    await figure.getByText("Show as table", { exact: true }).click();
    await expect(placeholder).toBeVisible();
    await expect.poll(() => held.requested.length, { message: "the page asked for the chart's code" }).toBeGreaterThan(0);

    const before = await layoutAround(page, chart.testId);
    const releasedAt = await page.evaluate(() => performance.now());
    held.release();
    await expect(figure.locator(`[role=img] .recharts-wrapper ${chart.marks}`).first()).toBeVisible(DRAWN);
    await expect(placeholder).toHaveCount(0);
    await expect(figure.locator("[data-chart-box] > [role=img]")).toHaveAttribute("aria-label", /\S/);

    const after = await layoutAround(page, chart.testId);
    expect(after.box, "the chart has its placeholder's size").toEqual(before.box);
    expect(after.card, "the chart's card keeps its place and size").toEqual(before.card);
    expect(after.next.top, "what follows the chart does not move").toBe(before.next.top);
    expect(await shiftsSince(page, releasedAt), "layout shifts once the chart's code arrived").toEqual([]);
  });
}

test("the charts draw in the dark theme, with light axis text", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE, colorScheme: "dark" });
  const page = await context.newPage();
  try {
    for (const chart of CHARTS) {
      await page.goto(chart.path());
      await expect(page.locator("html")).toHaveClass(/\bdark\b/);
      const figure = page.getByTestId(chart.testId);
      await expect(figure.locator(`[role=img] .recharts-wrapper ${chart.marks}`).first(), chart.name).toBeVisible(DRAWN);
      const tick = figure.locator(".recharts-cartesian-axis-tick-value").first();
      // The light theme's axis grey (#475569) is too dark on the dark surface; the theme lightens it.
      expect(await tick.evaluate((el) => getComputedStyle(el).fill), `${chart.name}: axis text`).not.toBe("rgb(71, 85, 105)");
    }
  } finally {
    await context.close();
  }
});

test("a chart whose code fails to load says so and keeps its table", async ({ page }) => {
  await page.route(/\/_next\/static\/chunks\/.+\.js(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    if (isChartCode(body)) await route.abort("failed");
    else await route.fulfill({ response, body });
  });
  await page.goto(`/connections/${made.connectionId}`);
  const figure = page.getByTestId("token-timeline");
  await expect(figure.getByRole("alert")).toContainText("The chart could not load", DRAWN);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await figure.getByText("Show as table", { exact: true }).click();
  await expect(figure.getByTestId("token-life-row").first()).toBeVisible();
});

test.afterAll(async ({ browser }) => {
  await leaveConsoleEmpty(browser, {
    connectionIds: made.connectionId ? [made.connectionId] : [],
    clientRefs: made.clientRef ? [made.clientRef] : [],
  });
});
