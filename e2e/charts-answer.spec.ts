// Charts that answer the next question: the overview's range lives in the URL (reload, Back), its
// failures are split by kind, a bar or a table period opens exactly its audit rows (mouse and
// keyboard); the client's chart switches range, names the eviction marker in its legend and keeps
// a one-token user visible; the token timeline keeps "now" inside its box and links each event mark
// to the event. Light and dark, axe clean. Makes a client and a connection and removes them again.
import { expect, test, type Page } from "@playwright/test";
import { seriousAxeViolations } from "./axe";
import { leaveConsoleEmpty } from "./clean-up";
import { addSandboxDemoClient, connectSingleDeskUser, resetSandbox } from "./connect-helpers";
import { ADMIN_STATE, CONSOLE_URL, SANDBOX_URL } from "./env";

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const made: { clientRef?: number; connectionId?: number } = {};
// Everything made, retries included (a retry of this serial group runs the set-up again): the
// specs after this one expect no client left.
const cleanUp = { clientRefs: [] as number[], connectionIds: [] as number[] };
/** Chunk load and first draw on a busy two-core machine. */
const DRAWN = { timeout: 30_000 };

const drawn = (page: Page, testId: string) => page.getByTestId(testId).locator("[role=img] .recharts-wrapper .recharts-bar-rectangle").first();

test("set up a connection with a refresh Zoho could not answer and one that worked", async ({ page }) => {
  test.setTimeout(120_000);
  await resetSandbox(page.request);
  made.clientRef = await addSandboxDemoClient(page);
  cleanUp.clientRefs.push(made.clientRef);
  ({ connectionId: made.connectionId } = await connectSingleDeskUser(page, made.clientRef, "Charts answer check"));
  cleanUp.connectionIds.push(made.connectionId);
  await page.goto(`/connections/${made.connectionId}`);
  // Zoho answers the next token request with HTTP 503: a failure of the kind "Zoho unreachable".
  expect((await page.request.post(`${SANDBOX_URL}/_sandbox/faults`, { data: { token: { status: 503, count: 1 } } })).ok()).toBe(true);
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "HTTP 503" }).first()).toBeVisible();
  const budget = page.getByTestId("mint-budget");
  const before = await budget.textContent();
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(budget).not.toHaveText(before ?? "");
});

test("the overview's range is in the URL: it survives a reload and Back returns to it", async ({ page }) => {
  await page.goto("/?range=24h");
  const figure = page.getByTestId("refresh-activity");
  await expect(figure.getByRole("link", { name: "24 hours" })).toHaveAttribute("aria-current", "true");
  await expect(figure.getByText(/^Per hour \(/)).toBeVisible();
  await page.reload();
  await expect(figure.getByRole("link", { name: "24 hours" })).toHaveAttribute("aria-current", "true");

  await figure.getByRole("link", { name: "30 days" }).click();
  await expect(page).toHaveURL(/[?&]range=30d\b/);
  await expect(figure.getByRole("link", { name: "30 days" })).toHaveAttribute("aria-current", "true");
  await expect(figure.getByText(/^Per day \(/)).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/[?&]range=24h\b/);
  await expect(figure.getByRole("link", { name: "24 hours" })).toHaveAttribute("aria-current", "true");
  await expect(figure.getByRole("link", { name: "30 days" })).not.toHaveAttribute("aria-current", "true");
});

test("the overview splits failures by kind and a bar opens exactly its period's audit rows, on India's hours", async ({ browser }) => {
  // A viewer at +05:30: the chart's hours are theirs, so a bar's hour starts on the half hour in UTC.
  const context = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE, timezoneId: "Asia/Kolkata" });
  const page = await context.newPage();
  await page.goto("/?range=24h");
  const figure = page.getByTestId("refresh-activity");
  await expect(drawn(page, "refresh-activity")).toBeVisible(DRAWN);
  // The 503 counts as "Zoho unreachable", in the legend and in the chart's description.
  await expect(figure.locator(".recharts-legend-wrapper")).toContainText("Zoho unreachable");
  await expect(figure.getByRole("img", { name: /^Refresh attempts per hour/ })).toHaveAttribute("aria-label", /1 zoho unreachable/);

  await figure.locator(".refresh-bars-failure .recharts-rectangle").last().click();
  await expect(page).toHaveURL(/\/audit\?/);
  const q = new URL(page.url()).searchParams;
  expect(q.get("action")).toBe("connection.refresh");
  expect(q.get("outcome")).toBe("failure");
  expect(q.get("range")).toBe("custom");
  // One local hour, exactly: India's hours start at half past in UTC.
  expect(Date.parse(q.get("to")!) - Date.parse(q.get("from")!)).toBe(3_600_000);
  expect(new Date(q.get("from")!).getUTCMinutes()).toBe(30);
  // The failed refreshes of that hour (other specs of the suite may have failed one too): this
  // connection's 503 among them, once.
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  await expect(rows.filter({ hasText: "Charts answer check" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Charts answer check" })).toContainText("Refresh failed");
  await context.close();
});

test("a keyboard opens a period's refreshes from the chart's table", async ({ page }) => {
  await page.goto("/?range=7d");
  const figure = page.getByTestId("refresh-activity");
  const summary = figure.getByText("Show as table", { exact: true });
  await summary.focus();
  await page.keyboard.press("Enter");
  const table = figure.getByTestId("refresh-activity-table");
  await expect(table).toBeVisible();
  // Today is the last row; its failures link opens only the failures of that local day.
  // The link names how many; the audit page must list exactly those (other specs may add some).
  const failed = table.getByRole("link", { name: /^\d+ failed in / }).last();
  const failures = Number((await failed.textContent())!.match(/\d+/)![0]);
  await failed.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/audit\?.*outcome=failure/);
  const q = new URL(page.url()).searchParams;
  const span = Date.parse(q.get("to")!) - Date.parse(q.get("from")!);
  expect(span, "a local day: 23 to 25 hours").toBeGreaterThanOrEqual(23 * 3_600_000);
  expect(span).toBeLessThanOrEqual(25 * 3_600_000);
  await expect(page.getByTestId("audit-row")).toHaveCount(failures);
  await expect(page.getByTestId("audit-row").filter({ hasText: "Charts answer check" })).toHaveCount(1);

  await page.goBack();
  await figure.getByText("Show as table", { exact: true }).click();
  await table.getByRole("rowheader").last().getByRole("link").click();
  await expect(page).toHaveURL(/\/audit\?action=connection\.refresh&range=custom/);
  // Both refreshes of today, the failed one and the one that worked (besides other specs' own).
  await expect(page.getByTestId("audit-row").filter({ hasText: "Charts answer check" })).toHaveCount(2);
});

test("the client's chart switches range, names the eviction marker and keeps a one-token user visible", async ({ page }) => {
  await page.goto(`/clients/${made.clientRef}`);
  const figure = page.getByTestId("refresh-token-history");
  const legend = figure.getByTestId("refresh-token-history-legend");
  await expect(legend).toContainText("Eviction");
  await expect(legend).toContainText("Zoho's cap (20)");
  await expect(drawn(page, "refresh-token-history")).toBeVisible(DRAWN);
  const chart = figure.getByRole("img", { name: /^Most live refresh tokens per day/ });
  await expect(chart).toHaveAttribute("aria-label", /over the last 30 days/);
  await figure.getByRole("button", { name: "7 days" }).click();
  await expect(figure.getByRole("button", { name: "7 days" })).toHaveAttribute("aria-pressed", "true");
  await expect(chart).toHaveAttribute("aria-label", /over the last 7 days/);
  await expect(figure.locator(".recharts-xAxis .recharts-cartesian-axis-tick")).toHaveCount(7);
  const bars = () => figure.locator(".recharts-bar-rectangle .recharts-rectangle");
  // One refresh token of Zoho's 20 is a bar a pointer can find.
  const today = bars().last();
  await today.scrollIntoViewIfNeeded();
  const box = (await today.boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(4);

  // The tooltip names the day under the pointer and stays on it while the pointer moves within it.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tooltip = figure.locator(".recharts-tooltip-wrapper");
  await expect(tooltip).toContainText("1 / 20");
  const title = await tooltip.locator("div.font-semibold").first().textContent();
  expect(title).toMatch(/\d{4}/);
  await page.mouse.move(box.x + box.width / 2, box.y - 60);
  await expect(tooltip.locator("div.font-semibold").first()).toHaveText(title!);
});

async function nowLabelInsideBox(page: Page) {
  const figure = page.getByTestId("token-timeline");
  const label = figure.locator("[data-now-label]");
  await expect(label).toBeVisible(DRAWN);
  const l = (await label.boundingBox())!;
  const b = (await figure.locator("[data-chart-box]").boundingBox())!;
  expect(l.x, "now label: left edge").toBeGreaterThanOrEqual(b.x);
  expect(l.x + l.width, "now label: right edge").toBeLessThanOrEqual(b.x + b.width);
  expect(l.y, "now label: top edge").toBeGreaterThanOrEqual(b.y);
  expect(l.y + l.height, "now label: bottom edge").toBeLessThanOrEqual(b.y + b.height);
}

test("the token timeline keeps now inside its box and links each event mark to its audit event", async ({ page }) => {
  await page.goto(`/connections/${made.connectionId}`);
  await nowLabelInsideBox(page);
  const figure = page.getByTestId("token-timeline");
  // The failed refresh is a mark, drawn at least as wide as a visible flag.
  const mark = figure.locator("[data-marker-id]").first();
  await expect(mark).toBeVisible();
  const id = await mark.getAttribute("data-marker-id");
  expect(id).toMatch(/^\d+$/);
  await figure.getByText("Show as table", { exact: true }).click();
  const row = figure.getByTestId("timeline-marker-row").first();
  await expect(row).toContainText("Refresh failed");
  await expect(row.getByRole("link", { name: /^Open the audit event/ })).toHaveAttribute("href", `/audit/${id}`);
});

test("the charts' pages are axe clean and keep now inside the box in light and dark", async ({ browser }) => {
  test.setTimeout(120_000);
  for (const colorScheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE, colorScheme });
    const page = await context.newPage();
    try {
      for (const [path, testId] of [
        ["/?range=24h", "refresh-activity"],
        [`/clients/${made.clientRef}`, "refresh-token-history"],
        [`/connections/${made.connectionId}`, "token-timeline"],
      ] as const) {
        await page.goto(path);
        await expect(drawn(page, testId), `${colorScheme} ${path}`).toBeVisible(DRAWN);
        if (testId === "token-timeline") await nowLabelInsideBox(page);
        expect(await seriousAxeViolations(page), `${colorScheme} ${path}`).toEqual([]);
      }
    } finally {
      await context.close();
    }
  }
});

test.afterAll(async ({ browser }) => {
  await leaveConsoleEmpty(browser, {
    connectionIds: cleanUp.connectionIds,
    clientRefs: cleanUp.clientRefs,
  });
});
