// 2. Refresh coalescing: 200 concurrent token requests for one expired connection, 100 to each
// of two console processes on one database, on SQLite (one file) and on PostgreSQL (one
// database, the several-instances set-up it exists for). The sandbox counts the refreshes Zoho
// would see.
import { count, eq } from "drizzle-orm";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "@/sandbox/seed";
import { CONSOLE_PORT, CONSOLE_PORT_2, CONSOLE_URL } from "../config";
import { cannon, merge, percentile, statusLine } from "../load";
import { startConsole } from "../processes";
import { ms, type ScenarioReport } from "../report";
import { mintGrants, resetSandboxCounters, sandboxCounters } from "../sandbox-grants";
import { openBenchDb, seedAdmin, seedApiKey, seedClients, seedRealConnections, tablesOf } from "../seed";
import { encrypt, ENGINE_LABEL, freshDatabase, Reporter, scenarioFolder, startSandbox, type Engine } from "./common";

const PER_PROCESS = 100;

interface Round {
  engine: Engine;
  rows: (string | number)[][];
  counters: Awaited<ReturnType<typeof sandboxCounters>>;
  mints: number;
  refreshAudits: number;
  distinct: number;
  ok200: number;
  wall: number;
}

async function round(dir: string, engine: Engine, sandboxUrl: string, log: (m: string) => void): Promise<Round> {
  const { target, handle } = await freshDatabase(dir, engine);
  const admin = await seedAdmin(handle);
  const [clientRef] = await seedClients(handle, encrypt, [{ name: "Sandbox demo client", clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET }], admin.id);
  const key = await seedApiKey(handle, admin.id);
  const [warm, expired] = await mintGrants(sandboxUrl, `http://localhost:${CONSOLE_PORT}`, 2, `coalesce-${engine}`);
  // keep_fresh off: only the 200 requests may refresh the expired one.
  const warmId = (await seedRealConnections(handle, [warm], { clientRef, encrypt, keepFresh: false, namePrefix: "warm" })).firstId;
  const targetId = (await seedRealConnections(handle, [expired], { clientRef, encrypt, keepFresh: false, expiresAt: Date.now() - 60_000, namePrefix: "expired" })).firstId;
  await handle.close();
  log(`${ENGINE_LABEL[engine]}: starting two console processes on one database`);
  const [c1, c2] = await Promise.all([
    // One public URL for both: instances of one console share it (a second refuses to start otherwise).
    startConsole({ port: CONSOLE_PORT, db: target, refresher: "off", env: { CONSOLE_PUBLIC_URL: CONSOLE_URL } }),
    startConsole({ port: CONSOLE_PORT_2, db: target, refresher: "off", env: { CONSOLE_PUBLIC_URL: CONSOLE_URL } }),
  ]);
  const auth = { authorization: `Bearer ${key.key}` };
  // Warm both processes' token route on the other connection (no refresh involved).
  for (const c of [c1, c2]) await cannon({ url: `${c.url}/api/v1/connections/${warmId}/token?min_validity=300`, headers: auth, connections: 5, amount: 50 });
  await resetSandboxCounters(sandboxUrl);

  const tokens = new Map<string, number>();
  const onResponse = (status: number, body: string) => {
    if (status !== 200) return;
    const t = (JSON.parse(body) as { access_token?: string }).access_token ?? "?";
    tokens.set(t, (tokens.get(t) ?? 0) + 1);
  };
  const burst = (url: string) =>
    cannon({
      url,
      connections: PER_PROCESS,
      amount: PER_PROCESS,
      requests: [{ method: "GET", path: `/api/v1/connections/${targetId}/token?min_validity=300`, headers: auth, onResponse }],
    });
  log(`${ENGINE_LABEL[engine]}: burst of ${PER_PROCESS} concurrent requests to each process`);
  const started = performance.now();
  const [s1, s2] = await Promise.all([burst(c1.url), burst(c2.url)]);
  const wall = performance.now() - started;
  const counters = await sandboxCounters(sandboxUrl);
  await Promise.all([c1.stop(), c2.stop()]);

  const check = await openBenchDb(target);
  const { tokenMints, auditEvents } = tablesOf(check);
  const [mints] = await check.db.select({ n: count() }).from(tokenMints).where(eq(tokenMints.connectionId, targetId));
  const [audits] = await check.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, "connection.refresh"));
  await check.close();

  const all = merge([s1, s2]);
  const line = (port: number, s: typeof s1) => [ENGINE_LABEL[engine], `:${port}`, s.latencies.length, statusLine(s), ms(percentile(s.latencies, 50)), ms(percentile(s.latencies, 99)), ms(Math.max(...s.latencies))];
  return {
    engine,
    rows: [line(CONSOLE_PORT, s1), line(CONSOLE_PORT_2, s2)],
    counters,
    mints: mints?.n ?? 0,
    refreshAudits: audits?.n ?? 0,
    distinct: tokens.size,
    ok200: all.statuses[200] ?? 0,
    wall,
  };
}

export async function coalescing(): Promise<ScenarioReport> {
  const r = new Reporter(2, "Refresh coalescing across two console processes");
  const dir = scenarioFolder("2-coalescing");
  const sandbox = await startSandbox(dir);
  const rounds: Round[] = [];
  for (const engine of ["sqlite", "postgres"] as const) rounds.push(await round(dir, engine, sandbox.url, (m) => r.log(m)));

  r.tables.push({ head: ["engine", "process", "requests", "answers", "p50 ms", "p99 ms", "max ms"], rows: rounds.flatMap((x) => x.rows) });
  r.tables.push({
    head: ["engine", "upstream refreshes (sandbox)", "token-endpoint calls", "throttled", "refreshes recorded by the console", "distinct tokens handed out", "burst wall time ms"],
    rows: rounds.map((x) => [ENGINE_LABEL[x.engine], x.counters.tokensMinted.refresh_token, x.counters.tokenEndpointCalls, x.counters.throttled, `${x.mints} mint, ${x.refreshAudits} audit`, x.distinct, ms(x.wall)]),
  });
  const each = (f: (x: Round) => string) => rounds.map((x) => `${ENGINE_LABEL[x.engine]} ${f(x)}`).join("; ");
  r.goal(
    "exactly 1 upstream refresh for 200 concurrent requests",
    each((x) => `${x.counters.tokensMinted.refresh_token} (${x.counters.tokenEndpointCalls} token-endpoint calls)`),
    rounds.every((x) => x.counters.tokensMinted.refresh_token === 1),
  );
  r.goal(
    "all 200 answered with the one new token",
    each((x) => `${x.ok200}/${PER_PROCESS * 2} × 200, ${x.distinct} distinct token(s)`),
    rounds.every((x) => x.ok200 === PER_PROCESS * 2 && x.distinct === 1),
  );
  r.notes.push(
    "Inside a process the callers share one promise (the in-flight map); across processes a lease row in the database (with the database's clock) lets one refresh while the other polls the row (every 150 ms) and takes the token the winner stored. SQLite: both processes on one file; PostgreSQL: both on one database of the bench's cluster.",
    "The connection's access token was set to have expired a minute before; keep_fresh off and the background refresher off, so only the burst could refresh it.",
  );
  return r.done();
}
