// 5. Weight: the JavaScript a browser downloads to show each main route signed in, gzipped.
// Debian's Chromium through Playwright; a fresh browser context per route, so nothing is cached.
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { CONSOLE_PORT, CONSOLE_URL } from "../config";
import { startConsole } from "../processes";
import { kB, type ScenarioReport } from "../report";
import { seedDashboard } from "../seed";
import { assertSignedIn, SESSION_COOKIE, sessionCookie } from "../session";
import { encrypt, freshDatabase, Reporter, scenarioFolder, sleep, startSandbox } from "./common";

const LIMIT = 200_000;

/** Libraries worth naming when a chunk carries them: a marker and how often it must appear. */
const LIBRARIES: { name: string; marker: RegExp; min: number }[] = [
  { name: "recharts", marker: /recharts/g, min: 5 },
  { name: "zod", marker: /\$ZodType|ZodError/g, min: 5 },
  { name: "swagger-ui", marker: /swagger-ui|SwaggerUI/g, min: 5 },
];

interface Script {
  url: string;
  raw: number;
  gzip: number;
  libraries: string[];
}

function describe(url: string, body: Buffer): Script {
  const text = body.toString("utf8");
  const libraries = LIBRARIES.filter((l) => (text.match(l.marker)?.length ?? 0) >= l.min).map((l) => l.name);
  return { url: new URL(url).pathname, raw: body.length, gzip: gzipSync(body).length, libraries };
}

export async function weight(): Promise<ScenarioReport> {
  const r = new Reporter(5, "First-load JavaScript per route (gzip)");
  const dir = scenarioFolder("5-weight");
  // The JavaScript a page ships does not depend on the engine: SQLite only.
  const { target, handle } = await freshDatabase(dir, "sqlite");
  const sandbox = await startSandbox(dir);
  const data = await seedDashboard(handle, { connections: 50, auditRows: 1_000, encrypt, sandboxUrl: sandbox.url });
  await handle.close();
  await startConsole({ port: CONSOLE_PORT, db: target, refresher: "off" });
  const jwt = await sessionCookie(data.admin);
  await assertSignedIn(CONSOLE_URL, jwt, data.admin.email);

  const routes = ["/", "/connections", `/connections/${data.connections.firstId}`, "/clients", "/audit", "/settings/api-keys", "/scopes", "/connections/new"];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"],
  });
  const rows: { route: string; files: number; raw: number; gzip: number; landed: string; scripts: Script[] }[] = [];
  try {
    for (const route of routes) {
      const context = await browser.newContext();
      await context.addCookies([{ name: SESSION_COOKIE, value: jwt, url: CONSOLE_URL }]);
      const page = await context.newPage();
      const bodies: Promise<Script | null>[] = [];
      page.on("response", (res) => {
        const type = res.request().resourceType();
        const contentType = res.headers()["content-type"] ?? "";
        if (type === "script" || contentType.includes("javascript")) {
          bodies.push(
            res
              .body()
              .then((b) => describe(res.url(), b))
              .catch(() => null),
          );
        }
      });
      await page.goto(`${CONSOLE_URL}${route}`, { waitUntil: "load" });
      await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
      await sleep(300);
      const scripts = (await Promise.all(bodies)).filter((b): b is Script => b !== null);
      rows.push({
        route,
        files: scripts.length,
        raw: scripts.reduce((sum, b) => sum + b.raw, 0),
        gzip: scripts.reduce((sum, b) => sum + b.gzip, 0),
        landed: new URL(page.url()).pathname,
        scripts,
      });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  r.tables.push({
    head: ["route", "JS files", "raw kB", "gzip kB", "verdict"],
    rows: rows.map((x) => [x.route, x.files, kB(x.raw), kB(x.gzip), x.landed !== new URL(`${CONSOLE_URL}${x.route}`).pathname ? `redirected to ${x.landed}` : x.gzip < LIMIT ? "met" : "**missed**"]),
  });
  // What every route loads (framework, layout) versus what a route adds on top.
  const shared = new Set(rows[0]?.scripts.map((x) => x.url).filter((u) => rows.every((row) => row.scripts.some((x) => x.url === u))));
  const sharedGzip = rows[0] ? rows[0].scripts.filter((x) => shared.has(x.url)).reduce((sum, x) => sum + x.gzip, 0) : 0;
  r.tables.push({
    title: `Beyond the ${shared.size} files every route loads (${kB(sharedGzip)} kB gzip)`,
    head: ["route", "own files", "own gzip kB", "largest own files (gzip kB, libraries found in them)"],
    rows: rows.map((x) => {
      const own = x.scripts.filter((y) => !shared.has(y.url)).sort((a, b) => b.gzip - a.gzip);
      return [
        x.route,
        own.length,
        kB(own.reduce((sum, y) => sum + y.gzip, 0)),
        own
          .slice(0, 3)
          .map((y) => `${y.url.split("/").pop()} ${kB(y.gzip)}${y.libraries.length ? ` (${y.libraries.join(", ")})` : ""}`)
          .join("; "),
      ];
    }),
  });
  const heaviest = rows.reduce((a, b) => (b.gzip > a.gzip ? b : a));
  r.goal(`every main route < ${LIMIT / 1000} kB of JS (gzip)`, `heaviest ${heaviest.route}: ${kB(heaviest.gzip)} kB`, rows.every((x) => x.gzip < LIMIT && x.landed === new URL(`${CONSOLE_URL}${x.route}`).pathname));
  for (const x of rows.filter((y) => y.gzip >= LIMIT)) {
    const own = x.scripts.filter((y) => !shared.has(y.url));
    const libs = [...new Set(own.flatMap((y) => y.libraries))];
    const libGzip = own.filter((y) => y.libraries.length).reduce((sum, y) => sum + y.gzip, 0);
    r.notes.push(
      `Reading (${x.route}, ${kB(x.gzip)} kB): ${kB(sharedGzip)} kB is what every route loads; ` +
        (libs.length
          ? `${kB(libGzip)} kB of this route's own files carry ${libs.join(" and ")}` +
            (libs.includes("recharts") ? ` (the chart library the stack chose, drawing charts shown at first view: loading it with next/dynamic would not change this figure, which counts chunks loaded lazily right after load too. With ${kB(sharedGzip)} kB every route carries, a route showing a Recharts chart cannot stay under ${LIMIT / 1000} kB; meeting the goal there means a lighter chart library or a budget of its own for chart pages)` : "") +
            (libs.includes("zod") ? " (zod reaches the browser through a client component importing a module that defines zod schemas, e.g. labels next to a form schema; importing the labels from a zod-free module keeps it out)" : "") +
            "."
          : "no single library stands out among its own files."),
    );
  }
  r.notes.push(
    `Every script a fresh Chromium context fetched until the network was idle (chunks a page loads lazily right after load count too), gzipped here with zlib's default level; port ${CONSOLE_PORT}, a small data set (50 connections).`,
  );
  return r.done();
}
