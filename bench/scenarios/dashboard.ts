// 4. The dashboard at scale (10,000 connections, 200,000 audit events), on SQLite and on
// PostgreSQL: the same rows seeded into each, a console per engine running side by side; server
// time and HTML size of each page and poll, measured in rotation with each console's
// /api/health; the CSV export of the whole trail with the server's memory sampled throughout; the
// request-path queries' plans and times on each engine (bench/plan-probe.ts).
// 6. Memory: each console's resident memory over the same run.
import os from "node:os";
import { desc } from "drizzle-orm";
import { CONSOLE_PORT, CONSOLE_PORT_2 } from "../config";
import { percentile, type Sample } from "../load";
import type { PlanReport } from "../plan-probe";
import { clusterFacts } from "../postgres";
import { rssMiB, startConsole, type Server } from "../processes";
import { kB, ms, type ScenarioReport } from "../report";
import { analyze, AUDIT_DAYS, seedDashboard, tablesOf, type BenchTarget, type DashboardData } from "../seed";
import { assertSignedIn, SESSION_COOKIE, sessionCookie } from "../session";
import { encrypt, ENGINE_LABEL, freshDatabase, Reporter, scenarioFolder, sleep, startSandbox, type Engine } from "./common";
import { anatomy, awayFromMinuteEdge, exportCsv, exportPipeline, measure, planProbe, type Console, type CsvRun, type Measured, type Probe } from "./dashboard-probes";
import { planNotes, planTable } from "./plans-report";

const CONNECTIONS = 10_000;
const AUDIT_ROWS = 200_000;
const PER_SIDE = 20;
const LIMIT_MS = 300;
const HTML_LIMIT = 200_000;
const FLAT_MEMORY_MIB = 50;
const ENGINES: Engine[] = ["sqlite", "postgres"];
/**
 * The seeded trail spans AUDIT_DAYS, and routine successes (background refreshes Zoho answered)
 * are kept 30 days by default: each console's pruner, 30 s after it starts, would delete the
 * older ones (about a quarter of the trail) while they are exported and measured. On PostgreSQL,
 * whose export comes second, that cut it to 169,716 rows and then 147,664. These consoles keep
 * the whole trail, so both engines export and page over the same rows.
 */
const KEEP_SEEDED_TRAIL = { CONSOLE_AUDIT_ROUTINE_RETENTION_DAYS: String(AUDIT_DAYS + 1) };

interface Side {
  engine: Engine;
  target: BenchTarget;
  data: DashboardData;
  seedSeconds: number;
  analyzeSeconds: number;
  deep: { at: number; id: number };
  pipeline?: { seconds: number; chunks: number; bytes: number; rssGrowthMiB: number; heapPeakMiB: number };
  plans?: PlanReport;
  server?: Server;
  pid?: number;
  rssIdle?: number;
  csv?: CsvRun;
  /** The same export again on the same server: its heap now at the size the first one grew it to. */
  csvAgain?: CsvRun;
  rssAfterExport?: number;
  rssAfter?: number;
}

async function seedSide(dir: string, engine: Engine, sandboxUrl: string, now: number, log: (m: string) => void): Promise<Side> {
  const { target, handle } = await freshDatabase(dir, engine);
  try {
    log(`${ENGINE_LABEL[engine]}: seeding ${CONNECTIONS} connections and ${AUDIT_ROWS} audit events`);
    const started = performance.now();
    const data = await seedDashboard(handle, { connections: CONNECTIONS, auditRows: AUDIT_ROWS, encrypt, sandboxUrl, now });
    const seedSeconds = (performance.now() - started) / 1000;
    const analyzed = performance.now();
    await analyze(handle);
    const analyzeSeconds = (performance.now() - analyzed) / 1000;
    // A deep audit page: the cursor 100,000 events back, as "Older →" would reach it.
    const a = tablesOf(handle).auditEvents;
    const [deep] = await handle.db.select({ at: a.at, id: a.id }).from(a).orderBy(desc(a.at), desc(a.id)).limit(1).offset(100_000);
    return { engine, target, data, seedSeconds, analyzeSeconds, deep: { at: deep.at.getTime(), id: deep.id } };
  } finally {
    await handle.close();
  }
}

export async function dashboard(): Promise<ScenarioReport[]> {
  const r = new Reporter(4, "Dashboard at 10,000 connections and 200,000 audit events (SQLite and PostgreSQL)");
  const loadAtStart = os.loadavg()[0];
  const mem = new Reporter(6, "Memory of the console process (scenario 4's run)");
  const dir = scenarioFolder("4-dashboard");
  const sandbox = await startSandbox(dir);
  // One clock for both seeds: the two databases hold the same rows.
  const now = Date.now();
  const sides: Side[] = [];
  for (const engine of ENGINES) sides.push(await seedSide(dir, engine, sandbox.url, now, (m) => r.log(m)));
  for (const s of sides) {
    r.log(`${ENGINE_LABEL[s.engine]}: timing the export's pipeline in-process (no HTTP); explaining the request-path queries`);
    s.pipeline = exportPipeline(s.target);
    s.plans = planProbe(s.target, { now: Date.now(), adminId: s.data.admin.id, clientId: s.data.clientRefs[1], connectionId: s.data.connections.firstId + 41, deep: s.deep });
  }

  r.log("starting a console per engine");
  const [sqliteServer, pgServer] = await Promise.all([
    startConsole({ port: CONSOLE_PORT, db: sides[0].target, refresher: "off", env: KEEP_SEEDED_TRAIL }),
    startConsole({ port: CONSOLE_PORT_2, db: sides[1].target, refresher: "off", env: KEEP_SEEDED_TRAIL }),
  ]);
  sides[0].server = sqliteServer;
  sides[1].server = pgServer;
  await sleep(1_000);
  const consoles: Console[] = [];
  for (const s of sides) {
    s.pid = s.server!.pid();
    s.rssIdle = rssMiB(s.pid);
    const jwt = await sessionCookie(s.data.admin);
    await assertSignedIn(s.server!.url, jwt, s.data.admin.email);
    consoles.push({ engine: s.engine, server: s.server!, cookie: `${SESSION_COOKIE}=${jwt}` });
  }

  // The export first, on a heap not yet grown by the pages; a small export warms its route.
  for (const [i, s] of sides.entries()) {
    const { cookie } = consoles[i];
    const small = await fetch(`${s.server!.url}/audit/export.csv?connection=${s.data.connections.firstId}`, { headers: { cookie } });
    await small.arrayBuffer();
    await sleep(500);
    r.log(`${ENGINE_LABEL[s.engine]}: exporting the whole trail as CSV`);
    s.csv = await exportCsv(s.server!, cookie, AUDIT_ROWS);
    await sleep(2_000);
    s.rssAfterExport = rssMiB(s.pid!);
    r.log(`${ENGINE_LABEL[s.engine]}: exporting it again`);
    s.csvAgain = await exportCsv(s.server!, cookie, AUDIT_ROWS);
    await sleep(1_000);
  }

  for (const c of consoles) await (await fetch(`${c.server.url}/api/connections`, { headers: { cookie: c.cookie } })).arrayBuffer();
  const deep = sides[0].deep;
  const probes: Probe[] = [
    { label: "Overview", path: "/", expect: 200, page: true },
    { label: "Connections, first page", path: "/connections", expect: 200, page: true },
    { label: "Connections, filtered by status", path: "/connections?status=expired_refreshable", expect: 200, page: true },
    { label: "Connections, sorted by expiry", path: "/connections?sort=expiry", expect: 200, page: true },
    { label: "Connections, page 50", path: "/connections?page=50", expect: 200, page: true },
    { label: "List poll (JSON)", path: "/api/connections", expect: 200, page: false },
    { label: "List poll, unchanged (If-None-Match)", path: "/api/connections", expect: 304, page: false },
    { label: "Audit, first page", path: "/audit", expect: 200, page: true },
    { label: "Audit, failed refreshes", path: "/audit?action=connection.refresh&outcome=failure", expect: 200, page: true },
    { label: "Audit, 100,000 events back", path: `/audit?before=${deep.at}.${deep.id}`, expect: 200, page: true },
    // The key forms once carried a checklist of every connection (439 kB at 10,000); now a picker asks as one types.
    { label: "API keys (create form)", path: "/settings/api-keys", expect: 200, page: true },
    { label: "API key (edit form)", path: `/settings/api-keys/${sides[0].data.apiKey.id}`, expect: 200, page: true },
  ];
  if (sides.some((s) => s.deep.at !== deep.at || s.deep.id !== deep.id)) throw new Error("the engines were seeded with different audit trails");
  const results: Measured[] = [];
  for (const probe of probes) {
    r.log(`measuring ${probe.label}`);
    if (probe.expect === 304) {
      await awayFromMinuteEdge(30);
      probe.headers = {};
      for (const c of consoles) {
        const fresh = await fetch(`${c.server.url}${probe.path}`, { headers: { cookie: c.cookie } });
        await fresh.arrayBuffer();
        probe.headers[c.engine] = { "if-none-match": fresh.headers.get("etag") ?? "" };
      }
    }
    results.push(...(await measure(probe, consoles)));
  }
  await sleep(3_000);
  for (const s of sides) s.rssAfter = rssMiB(s.pid!);

  const p = (x: Sample, q: number) => percentile(x.latencies, q);
  r.tables.push({
    head: ["what", "engine", "URL", "status", "p50 ms", "p95 ms", "health p50 ms", "health p95 ms", "body kB", "gzip kB"],
    rows: results.map((m) => [
      m.probe.label,
      ENGINE_LABEL[m.engine],
      m.probe.path.length > 40 ? `${m.probe.path.slice(0, 37)}…` : m.probe.path,
      Object.entries(m.url.statuses)
        .map(([k, v]) => `${k}×${v}`)
        .join(" "),
      ms(p(m.url, 50)),
      ms(p(m.url, 95)),
      ms(p(m.health, 50)),
      ms(p(m.health, 95)),
      kB(m.bytes),
      kB(m.gzipBytes),
    ]),
  });
  r.tables.push({
    title: "CSV export of the whole trail (/audit/export.csv)",
    head: ["engine", "rows", "MB", "first byte ms", "total s", "rows/s", "RSS before MiB", "RSS peak MiB", "growth MiB", "pipeline alone: s", "pipeline alone: RSS growth / heap peak MiB"],
    rows: sides.map((s) => {
      const c = s.csv!;
      const pl = s.pipeline;
      return [
        ENGINE_LABEL[s.engine],
        c.rows,
        (c.bytes / 1e6).toFixed(1),
        ms(c.firstByte),
        (c.total / 1000).toFixed(1),
        (c.rows / (c.total / 1000)).toFixed(0),
        c.before.toFixed(0),
        c.peak.toFixed(0),
        (c.peak - c.before).toFixed(0),
        pl ? pl.seconds.toFixed(1) : "failed",
        pl ? `${pl.rssGrowthMiB.toFixed(0)} / ${pl.heapPeakMiB.toFixed(0)}` : "failed",
      ];
    }),
  });
  r.tables.push({
    title: "Server RSS during the export, at each tenth of the rows",
    head: ["", ...sides[0].csv!.timeline.map((_, i) => `${(i + 1) * 10} %`)],
    rows: sides.flatMap((s) => [
      [`${ENGINE_LABEL[s.engine]}: seconds`, ...s.csv!.timeline.map((t) => t.seconds.toFixed(1))],
      [`${ENGINE_LABEL[s.engine]}: RSS MiB`, ...s.csv!.timeline.map((t) => t.rss.toFixed(0))],
    ]),
  });
  const heavy = results.filter((m) => m.probe.page && m.bytes >= HTML_LIMIT * 0.9);
  if (heavy.length) {
    r.tables.push({
      title: "Where the HTML of the largest pages goes",
      head: ["page", "engine", "HTML kB", "inline RSC payload kB", "<option>s", "<option> kB", "table rows", "row kB"],
      rows: heavy.map((m) => {
        const a = anatomy(m.html);
        return [m.probe.label, ENGINE_LABEL[m.engine], kB(m.bytes), kB(a.payload.bytes), a.options.n, kB(a.options.bytes), a.rows.n, kB(a.rows.bytes)];
      }),
    });
  }
  const planned = sides.filter((s) => s.plans).map((s) => s.plans!);
  if (planned.length) r.tables.push(planTable(planned));

  // Goals: one row per page with both engines' figures; met when both are.
  for (const probe of probes) {
    const mine = results.filter((m) => m.probe === probe);
    r.goal(
      `${probe.label}: p50 < ${LIMIT_MS} ms`,
      mine.map((m) => `${ENGINE_LABEL[m.engine]} ${ms(p(m.url, 50))} ms (p95 ${ms(p(m.url, 95))})`).join(" · "),
      mine.every((m) => p(m.url, 50) < LIMIT_MS),
    );
  }
  r.goal(
    `CSV export: first byte < ${LIMIT_MS} ms`,
    sides.map((s) => `${ENGINE_LABEL[s.engine]} ${ms(s.csv!.firstByte)} ms (all ${s.csv!.rows} rows in ${(s.csv!.total / 1000).toFixed(1)} s)`).join(" · "),
    sides.every((s) => s.csv!.firstByte < LIMIT_MS),
  );
  const pages = results.filter((m) => m.probe.page);
  r.goal(
    `pages < ${HTML_LIMIT / 1000} kB of HTML`,
    ENGINES.map((e) => {
      const mine = pages.filter((m) => m.engine === e);
      const largest = mine.reduce((a, b) => (b.bytes > a.bytes ? b : a));
      return `${ENGINE_LABEL[e]}: largest ${kB(largest.bytes)} kB (${largest.probe.label})`;
    }).join(" · "),
    pages.every((m) => m.bytes < HTML_LIMIT),
  );
  // Each export sends the seeded trail and the audit rows the console wrote since (the warm-up
  // export's own, then the first full export's).
  r.goal(
    `CSV export: every event, both times (at least the ${AUDIT_ROWS.toLocaleString("en")} seeded)`,
    sides.map((s) => `${ENGINE_LABEL[s.engine]} ${s.csv!.rows.toLocaleString("en")} then ${s.csvAgain!.rows.toLocaleString("en")} rows`).join(" · "),
    sides.every((s) => s.csv!.rows >= AUDIT_ROWS && s.csvAgain!.rows >= AUDIT_ROWS),
  );
  r.goal(
    `CSV export holds no rows: a second export of every row grows the server's RSS < ${FLAT_MEMORY_MIB} MiB above where the first left it`,
    sides
      .map((s) => `${ENGINE_LABEL[s.engine]} +${(s.csvAgain!.peak - s.csvAgain!.before).toFixed(0)} MiB over ${s.csvAgain!.rows} rows (first export on the idle server: +${(s.csv!.peak - s.csv!.before).toFixed(0)} MiB)`)
      .join(" · "),
    sides.every((s) => s.csvAgain!.peak - s.csvAgain!.before < FLAT_MEMORY_MIB),
  );
  for (const plans of planned) {
    const held = plans.rows.filter((x) => !x.byDesign);
    const scanning = held.filter((x) => x.scans.length);
    r.goal(
      `${ENGINE_LABEL[plans.engine]}: no request-path query reads a growing table row by row (${plans.engine === "postgres" ? "no Seq Scan in EXPLAIN (FORMAT JSON)" : "no bare SCAN in EXPLAIN QUERY PLAN"})`,
      scanning.length ? `${scanning.length} of ${held.length} plans scan: ${scanning.map((x) => `${x.group}, ${x.name}`).join("; ")}` : `0 of ${held.length} plans scan`,
      scanning.length === 0,
    );
  }
  for (const e of ENGINES.filter((x) => !planned.some((pl) => pl.engine === x))) {
    r.goal(`${ENGINE_LABEL[e]}: no request-path query reads a growing table row by row`, "the plan probe failed (see the console output)", false);
  }

  const seeded = sides.map((s) => `${ENGINE_LABEL[s.engine]} in ${s.seedSeconds.toFixed(1)} s${s.engine === "postgres" ? ` (+ ${s.analyzeSeconds.toFixed(1)} s VACUUM ANALYZE, as autovacuum would after a bulk load)` : ""}`).join(", ");
  r.notes.push(
    `Seeded through the data layer with async drizzle (bench/seed.ts; the same rows on both engines, one clock): ${seeded}. Statuses in a realistic mix (80 % active, the rest expiring, expired, failing, throttled, needing re-authorization, revoked, online), 5 clients, 500 Zoho users, 10 console users, ${sides[0].data.attempts.count.toLocaleString("en")} authorization attempts over the last week; audit events over ${AUDIT_DAYS} days, 80 % refreshes.`,
    `Both consoles are the same build (.next-bench) and run at once (SQLite :${CONSOLE_PORT}, PostgreSQL :${CONSOLE_PORT_2}); PostgreSQL is ${await clusterFacts()}, the console's pool at its default of 10.`,
    `Server time is the full response time seen by the client on localhost: ${PER_SIDE} sequential requests per URL and engine after 3 warm-up requests, in two slices rotating over SQLite URL, SQLite health, PostgreSQL URL, PostgreSQL health (${PER_SIDE} each). The verdict goes by the median; p95 is shown because one slow request in 20 on a 2-core machine is GC or the load generator.`,
    `Background refresher off, and routine successes kept ${AUDIT_DAYS + 1} days (CONSOLE_AUDIT_ROUTINE_RETENTION_DAYS; the default is 30) so the pruner leaves the ${AUDIT_DAYS}-day trail whole: the data set does not change while it is measured. Page sizes are the decoded HTML (the RSC payload for the same render is inlined in it); gzip is what travels.`,
  );
  if (planned.length) r.notes.push(...planNotes(planned));

  const auditPages = results.filter((m) => m.probe.page && m.probe.path.startsWith("/audit") && m.engine === "sqlite" && m.bytes >= HTML_LIMIT * 0.9);
  if (auditPages.length) {
    const a = anatomy(auditPages[0].html);
    r.notes.push(
      `Reading (audit pages at ${auditPages.map((m) => kB(m.bytes)).join(", ")} kB on SQLite; the same rows give the same pages on PostgreSQL): the table's ${a.rows.n} rows (50 events and the header) take ${kB(a.rows.bytes)} kB of HTML (~${(a.rows.bytes / Math.max(1, a.rows.n) / 1000).toFixed(1)} kB each: Tailwind classes, an icon, the detail toggle), the filter form ${a.options.n} <option>s (${kB(a.options.bytes)} kB; up to 500 connections, every user), and the inline RSC payload repeats the rows' data (${kB(a.payload.bytes)} kB). gzip brings them to ${auditPages.map((m) => kB(m.gzipBytes)).join(", ")} kB on the wire.`,
    );
  }
  for (const s of sides) {
    const csv = s.csv!;
    const perRow = s.pipeline ? s.pipeline.chunks >= csv.rows * 0.9 : csv.reads >= csv.rows * 0.9;
    const serving = s.pipeline ? Math.max(0, csv.total / 1000 - s.pipeline.seconds) : NaN;
    r.notes.push(
      `CSV pace on ${ENGINE_LABEL[s.engine]}: ${(csv.rows / (csv.total / 1000)).toFixed(0)} rows/s over HTTP (${csv.reads.toLocaleString("en")} reads for ${csv.rows.toLocaleString("en")} rows). ` +
        (s.pipeline
          ? `The same pipeline in-process — auditEventBatches → auditCsvStream, no HTTP — took ${s.pipeline.seconds.toFixed(1)} s and produced ${s.pipeline.chunks.toLocaleString("en")} chunks (${(s.pipeline.bytes / s.pipeline.chunks / 1000).toFixed(1)} kB each)` +
            (perRow ? `, one per record; so roughly ${serving.toFixed(0)} of the ${(csv.total / 1000).toFixed(1)} s go to serving.` : `; serving it over HTTP added ~${serving.toFixed(1)} s.`)
          : "The in-process timing of the pipeline failed (see the console output)."),
    );
    const again = s.csvAgain!;
    r.notes.push(
      `Reading (CSV memory, ${ENGINE_LABEL[s.engine]}): the first export on a server that had served nothing heavy grew its RSS by ${(csv.peak - csv.before).toFixed(0)} MiB; the same export again grew it by ${(again.peak - again.before).toFixed(0)} MiB (peak ${again.peak.toFixed(0)} MiB against ${csv.peak.toFixed(0)} MiB the first time). Growth that does not come back with the second export is the JavaScript heap reaching the working size the garbage collector keeps under the churn of ${csv.rows.toLocaleString("en")} rows turned into records; rows held by the export would add their size again on every run.`,
    );
    if (csv.peak - csv.before >= FLAT_MEMORY_MIB) {
      const fell = csv.peak - csv.lowestAfterPeak;
      const pl = s.pipeline;
      r.notes.push(
        `Reading (CSV memory, ${ENGINE_LABEL[s.engine]}): RSS rose ${(csv.peak - csv.before).toFixed(0)} MiB above its start (peak at row ${csv.peakAtRow.toLocaleString("en")})` +
          (fell > 20
            ? ` and fell back by ${fell.toFixed(0)} MiB while rows kept coming: garbage-collector headroom under the allocation churn of ${csv.rows.toLocaleString("en")} rows turned into DTOs and CSV records, not rows held (the route reads one keyset batch of events per chunk it sends).`
            : " and did not fall back before the export ended.") +
          (pl
            ? ` The same pipeline run alone over the same data (export probe, no HTTP) grew its process's RSS by ${pl.rssGrowthMiB.toFixed(0)} MiB with a heap peak of ${pl.heapPeakMiB.toFixed(0)} MiB, so the export's reading and formatting hold no rows; the rest is the server's serving of ${csv.reads.toLocaleString("en")} chunks and the heap the garbage collector lets grow meanwhile. RSS growth is a coarse measure of that and varies from run to run.`
            : ""),
      );
    }
  }
  const slow = results.filter((m) => p(m.url, 50) >= LIMIT_MS);
  for (const m of slow) {
    const other = results.find((x) => x.probe === m.probe && x.engine !== m.engine);
    const busy = loadAtStart > os.cpus().length;
    // The Overview's data functions, timed in-process by the plan probe on each engine.
    const data = m.probe.path === "/" ? planned.map((pl) => [pl.engine, pl.rows.filter((x) => x.group === "overview page data")] as const) : [];
    r.notes.push(
      `Reading (${m.probe.label}, ${ENGINE_LABEL[m.engine]}): p50 ${ms(p(m.url, 50))} ms against ${other ? `${ms(p(other.url, 50))} ms on ${ENGINE_LABEL[other.engine]}` : "no other engine"}` +
        (data.length
          ? `; its data alone (in-process, no rendering): ${data.map(([e, rows]) => `${ENGINE_LABEL[e]} ${rows.map((x) => `${x.name.split("(")[0]} ${ms(x.ms)} ms`).join(" + ")}`).join("; ")}: the 30-day refresh chart's grouping is most of it on both engines (see its reading above)` +
            (m.engine === "postgres" ? ", and on PostgreSQL that work runs in the server process, beside the console, on the same two cores" : "")
          : "") +
        (busy
          ? `, with the machine shared: load average ${loadAtStart.toFixed(1)} on ${os.cpus().length} cores when the scenario began (other work running beside the bench), so every request waited for a core; /api/health's p50 beside it was ${ms(p(m.health, 50))} ms. The engines compare (both measured in the same slices); the absolute figure is the machine's.`
          : "; its queries are in the table above."),
    );
  }

  mem.tables.push({
    head: ["moment", ...sides.map((s) => `${ENGINE_LABEL[s.engine]} RSS MiB`)],
    rows: [
      ["started, before any request", ...sides.map((s) => s.rssIdle!.toFixed(0))],
      ["before the CSV export (route warmed)", ...sides.map((s) => s.csv!.before.toFixed(0))],
      ["peak during the CSV export of 200,000 rows", ...sides.map((s) => s.csv!.peak.toFixed(0))],
      ["2 s after the export", ...sides.map((s) => s.rssAfterExport!.toFixed(0))],
      ["peak during the same export again", ...sides.map((s) => s.csvAgain!.peak.toFixed(0))],
      ["after the page and poll measurements (end of scenario 4)", ...sides.map((s) => s.rssAfter!.toFixed(0))],
    ],
  });
  mem.goal(
    "resident memory after scenario 4 (reported, no goal set)",
    sides.map((s) => `${ENGINE_LABEL[s.engine]} ${s.rssAfter!.toFixed(0)} MiB (${s.rssIdle!.toFixed(0)} MiB at start)`).join(" · "),
    null,
  );
  mem.notes.push(
    `VmRSS of the process listening on :${CONSOLE_PORT} (SQLite, pid ${sides[0].pid}) and :${CONSOLE_PORT_2} (PostgreSQL, pid ${sides[1].pid}), from /proc; the PostgreSQL server's own processes are not counted.`,
  );
  return [r.done(), mem.done()];
}
