// 5. Weight: the JavaScript a browser downloads for each main route signed in, gzipped: what it
// must have before the page is interactive (first load), and the total once the charts have drawn.
// Debian's Chromium through Playwright; a fresh browser context per route, so nothing is cached.
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";
import { CONSOLE_PORT, CONSOLE_URL } from "../config";
import { startConsole } from "../processes";
import { kB, type ScenarioReport } from "../report";
import { seedDashboard, tablesOf } from "../seed";
import { assertSignedIn, SESSION_COOKIE, sessionCookie } from "../session";
import type { DatabaseHandle } from "@/db/handle";
import { encrypt, freshDatabase, Reporter, scenarioFolder, sleep, startSandbox } from "./common";

const LIMIT = 200_000;
const HOUR = 3_600_000;

/** Libraries worth naming when a chunk carries them: a marker and how often it must appear. */
const LIBRARIES: { name: string; marker: RegExp; min: number }[] = [
  { name: "recharts", marker: /recharts/g, min: 5 },
  { name: "zod", marker: /\$ZodType|ZodError/g, min: 5 },
  { name: "swagger-ui", marker: /swagger-ui|SwaggerUI/g, min: 5 },
  { name: "sonner", marker: /data-sonner/g, min: 5 },
  { name: "react-dom", marker: /react-dom|__reactFiber/g, min: 2 },
  { name: "tanstack-query", marker: /No QueryClient set|queryClient/g, min: 2 },
];

interface Script {
  url: string;
  raw: number;
  gzip: number;
  libraries: string[];
}

interface Measured {
  route: string;
  landed: string;
  /** Scripts the document names: what the browser needs before React can hydrate the page. */
  first: Script[];
  /** Scripts the page's own code asked for afterwards (charts). */
  later: Script[];
  charts: { drawn: number; waiting: number };
}

function describe(url: string, body: Buffer): Script {
  const text = body.toString("utf8");
  const libraries = LIBRARIES.filter((l) => (text.match(l.marker)?.length ?? 0) >= l.min).map((l) => l.name);
  return { url: new URL(url).pathname, raw: body.length, gzip: gzipSync(body).length, libraries };
}

const sum = (scripts: Script[]) => scripts.reduce((total, s) => total + s.gzip, 0);
const files = (scripts: Script[], n = 3) =>
  [...scripts]
    .sort((a, b) => b.gzip - a.gzip)
    .slice(0, n)
    .map((s) => `${s.url.split("/").pop()} ${kB(s.gzip)}${s.libraries.length ? ` (${s.libraries.join(", ")})` : ""}`)
    .join("; ");

/**
 * Every chunk path the document names, in a script tag, a preload link or the React Server
 * Components payload inlined in the HTML (the client components the page renders).
 */
function namedChunks(html: string): Set<string> {
  return new Set([...html.matchAll(/static\/chunks\/[\w\-./~]+?\.js/g)].map((m) => `/_next/${m[0]}`));
}

/** A few token lives and refresh tokens, so the connection's and the client's charts draw. */
async function seedChartData(handle: DatabaseHandle, connectionId: number, clientRef: number, zuid: string, now: number) {
  const { tokenMints, refreshTokenLives } = tablesOf(handle);
  const lives = 6;
  await handle.db.insert(tokenMints).values(
    Array.from({ length: lives }, (_, i) => {
      const at = now - (lives - i) * HOUR;
      const current = i === lives - 1;
      return {
        connectionId,
        grantType: i === 0 ? "authorization_code" : "refresh_token",
        at: new Date(at),
        via: i === 0 ? ("authorize" as const) : ("background" as const),
        expiresAt: new Date(at + HOUR),
        endedAt: current ? null : new Date(at + HOUR - 300_000),
        endReason: current ? null : "replaced",
        tokenLast4: String(1000 + i),
      };
    }),
  );
  await handle.db.insert(refreshTokenLives).values([
    { connectionId, clientRef, zuid, issuedAt: new Date(now - 20 * 86_400_000), endedAt: new Date(now - 3 * 86_400_000), endReason: "evicted" },
    { connectionId, clientRef, zuid, issuedAt: new Date(now - 10 * 86_400_000), endedAt: null, endReason: null },
    { connectionId, clientRef, zuid, issuedAt: new Date(now - 2 * 86_400_000), endedAt: null, endReason: null },
  ]);
}

/** Waits until no chart on the page still shows its placeholder; counts the charts drawn. */
async function chartsDrawn(page: Page): Promise<Measured["charts"]> {
  const count = () =>
    page.evaluate(() => ({
      drawn: document.querySelectorAll("figure [role=img] .recharts-wrapper").length,
      waiting: document.querySelectorAll("[data-chart-placeholder]").length,
    }));
  await page.waitForFunction(() => document.querySelectorAll("[data-chart-placeholder]").length === 0, null, { timeout: 20_000 }).catch(() => undefined);
  return count();
}

async function measure(page: Page, route: string): Promise<Measured> {
  // A link's prefetch loads the next page's code: that is the next page's weight, not this one's.
  await page.route("**/*", (r) => (r.request().headers()["next-router-prefetch"] ? r.abort() : r.fallback()));
  const scripts: Promise<Script | null>[] = [];
  let html = "";
  page.on("response", (res) => {
    const type = res.request().resourceType();
    if (type === "document" && res.request().frame() === page.mainFrame()) {
      scripts.push(
        res
          .text()
          .then((t) => ((html += t), null))
          .catch(() => null),
      );
    } else if (type === "script" || (res.headers()["content-type"] ?? "").includes("javascript")) {
      scripts.push(
        res
          .body()
          .then((b) => describe(res.url(), b))
          .catch(() => null),
      );
    }
  });
  await page.goto(`${CONSOLE_URL}${route}`, { waitUntil: "load" });
  const charts = await chartsDrawn(page);
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
  await sleep(300);
  const all = (await Promise.all(scripts)).filter((s): s is Script => s !== null);
  const named = namedChunks(html);
  return {
    route,
    landed: new URL(page.url()).pathname,
    first: all.filter((s) => named.has(s.url)),
    later: all.filter((s) => !named.has(s.url)),
    charts,
  };
}

export async function weight(): Promise<ScenarioReport> {
  const r = new Reporter(5, "First-load JavaScript per route (gzip)");
  const dir = scenarioFolder("5-weight");
  // The JavaScript a page ships does not depend on the engine: SQLite only.
  const { target, handle } = await freshDatabase(dir, "sqlite");
  const sandbox = await startSandbox(dir);
  const data = await seedDashboard(handle, { connections: 50, auditRows: 1_000, encrypt, sandboxUrl: sandbox.url });
  const connectionId = data.connections.firstId;
  const clientId = data.clientRefs[0];
  await seedChartData(handle, connectionId, clientId, "80000000", Date.now());
  await handle.close();
  await startConsole({ port: CONSOLE_PORT, db: target, refresher: "off" });
  const jwt = await sessionCookie(data.admin);
  await assertSignedIn(CONSOLE_URL, jwt, data.admin.email);

  // The charts: one on /, one on a connection, one on a client.
  const chartRoutes = new Set(["/", `/connections/${connectionId}`, `/clients/${clientId}`]);
  const routes = ["/", "/connections", `/connections/${connectionId}`, "/clients", `/clients/${clientId}`, "/audit", "/settings/api-keys", "/scopes", "/connections/new"];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"],
  });
  const rows: Measured[] = [];
  try {
    for (const route of routes) {
      const context = await browser.newContext();
      await context.addCookies([{ name: SESSION_COOKIE, value: jwt, url: CONSOLE_URL }]);
      rows.push(await measure(await context.newPage(), route));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const redirected = (x: Measured) => x.landed !== x.route;
  const undrawn = (x: Measured) => chartRoutes.has(x.route) && (x.charts.drawn === 0 || x.charts.waiting > 0);
  r.tables.push({
    head: ["route", "first-load files", "first-load gzip kB", "charts drawn", "with charts: files", "with charts: gzip kB", "verdict"],
    rows: rows.map((x) => [
      x.route,
      x.first.length,
      kB(sum(x.first)),
      x.charts.drawn + (x.charts.waiting ? ` (${x.charts.waiting} still loading)` : ""),
      x.first.length + x.later.length,
      kB(sum(x.first) + sum(x.later)),
      redirected(x) ? `redirected to ${x.landed}` : undrawn(x) ? "**chart missing**" : sum(x.first) < LIMIT ? "met" : "**missed**",
    ]),
  });
  // What every route loads (framework, layout) versus what a route adds on top.
  const shared = rows[0]?.first.filter((s) => rows.every((row) => row.first.some((y) => y.url === s.url))) ?? [];
  const sharedUrls = new Set(shared.map((s) => s.url));
  r.tables.push({
    title: `Beyond the ${shared.length} files every route loads first (${kB(sum(shared))} kB gzip; largest: ${files(shared, 4)})`,
    head: ["route", "own first-load kB", "largest own first-load files (gzip kB, libraries)", "loaded after first paint (gzip kB, libraries)"],
    rows: rows.map((x) => {
      const own = x.first.filter((s) => !sharedUrls.has(s.url));
      return [x.route, kB(sum(own)), files(own) || "–", x.later.length ? `${kB(sum(x.later))}: ${files(x.later)}` : "–"];
    }),
  });
  const heaviest = rows.reduce((a, b) => (sum(b.first) > sum(a.first) ? b : a));
  r.goal(
    `every main route < ${LIMIT / 1000} kB of first-load JS (gzip)`,
    `heaviest ${heaviest.route}: ${kB(sum(heaviest.first))} kB`,
    rows.every((x) => sum(x.first) < LIMIT && !redirected(x)),
  );
  const drawn = rows.filter((x) => chartRoutes.has(x.route) && !undrawn(x)).length;
  const withCharts = rows.filter((x) => chartRoutes.has(x.route)).map((x) => `${x.route} ${kB(sum(x.first) + sum(x.later))} kB`);
  r.goal("the charts draw after first paint", `${drawn} of ${chartRoutes.size} chart routes drew; with charts: ${withCharts.join(", ")}`, drawn === chartRoutes.size);
  for (const x of rows.filter((y) => sum(y.first) >= LIMIT)) {
    const libs = [...new Set(x.first.filter((s) => !sharedUrls.has(s.url)).flatMap((s) => s.libraries))];
    r.notes.push(
      `Reading (${x.route}, ${kB(sum(x.first))} kB): ${kB(sum(shared))} kB is what every route loads first` +
        (libs.length ? `; its own first-load files carry ${libs.join(" and ")}` : "; no single library stands out among its own files") +
        (libs.includes("recharts") ? " (a chart imported with the page rather than after first paint)" : "") +
        (libs.includes("zod") ? " (a client component importing a module that defines zod schemas)" : "") +
        ".",
    );
  }
  r.notes.push(
    "First load: the scripts the page's HTML names (script tags, preload links and the chunks of the client components in the inlined React Server Components payload) — what the browser must download and run before React can hydrate the page and it answers input. " +
      "Scripts the page's own code requests later (the charts, drawn after first paint in a placeholder of their size) are not first load; the total with charts adds every script fetched until no chart placeholder was left and the network was idle. " +
      "Link prefetches are refused in the measuring browser: the code they fetch is the next page's weight.",
    `A fresh Chromium context per route, gzipped here with zlib's default level; port ${CONSOLE_PORT}, a small data set (50 connections, 6 token lives on the connection, 3 refresh tokens on its client).`,
  );
  return r.done();
}
