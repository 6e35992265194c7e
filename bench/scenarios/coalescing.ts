// 2. Refresh coalescing: 200 concurrent token requests for one expired connection, 100 to each
// of two console processes on one database. The sandbox counts the refreshes Zoho would see.
import { count, eq } from "drizzle-orm";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "@/sandbox/seed";
import * as schema from "@/db/schema";
import { CONSOLE_PORT, CONSOLE_PORT_2 } from "../config";
import { cannon, merge, percentile, statusLine } from "../load";
import { startConsole } from "../processes";
import { ms, type ScenarioReport } from "../report";
import { mintGrants, resetSandboxCounters, sandboxCounters } from "../sandbox-grants";
import { openBenchDb, seedAdmin, seedApiKey, seedClients, seedRealConnections } from "../seed";
import { encrypt, freshDatabase, Reporter, startSandbox } from "./common";

const PER_PROCESS = 100;

export async function coalescing(): Promise<ScenarioReport> {
  const r = new Reporter(2, "Refresh coalescing across two console processes");
  const { dir, dbFile, db, sqlite } = freshDatabase("2-coalescing");
  const admin = seedAdmin(db);
  const [clientRef] = seedClients(db, encrypt, [{ name: "Sandbox demo client", clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET }], admin.id);
  const key = seedApiKey(db, admin.id);
  const sandbox = await startSandbox(dir);
  const [warm, target] = await mintGrants(sandbox.url, `http://localhost:${CONSOLE_PORT}`, 2, "coalesce");
  // keep_fresh off: only the 200 requests may refresh the expired one.
  const warmId = seedRealConnections(db, [warm], { clientRef, encrypt, keepFresh: false, namePrefix: "warm" }).firstId;
  const targetId = seedRealConnections(db, [target], { clientRef, encrypt, keepFresh: false, expiresAt: Date.now() - 60_000, namePrefix: "expired" }).firstId;
  sqlite.close();
  r.log("starting two console processes on one database");
  const [c1, c2] = await Promise.all([
    startConsole({ port: CONSOLE_PORT, dbFile, refresher: "off" }),
    startConsole({ port: CONSOLE_PORT_2, dbFile, refresher: "off" }),
  ]);
  const auth = { authorization: `Bearer ${key.key}` };
  // Warm both processes' token route on the other connection (no refresh involved).
  for (const c of [c1, c2]) await cannon({ url: `${c.url}/api/v1/connections/${warmId}/token?min_validity=300`, headers: auth, connections: 5, amount: 50 });
  await resetSandboxCounters(sandbox.url);

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
  r.log(`burst: ${PER_PROCESS} concurrent requests to each process`);
  const started = performance.now();
  const [s1, s2] = await Promise.all([burst(c1.url), burst(c2.url)]);
  const wall = performance.now() - started;
  const counters = await sandboxCounters(sandbox.url);

  const check = openBenchDb(dbFile);
  const mints = check.db.select({ n: count() }).from(schema.tokenMints).where(eq(schema.tokenMints.connectionId, targetId)).get()?.n ?? 0;
  const refreshAudits =
    check.db.select({ n: count() }).from(schema.auditEvents).where(eq(schema.auditEvents.action, "connection.refresh")).get()?.n ?? 0;
  check.sqlite.close();

  const all = merge([s1, s2]);
  r.tables.push({
    head: ["process", "requests", "answers", "p50 ms", "p99 ms", "max ms"],
    rows: [
      [`:${CONSOLE_PORT}`, s1.latencies.length, statusLine(s1), ms(percentile(s1.latencies, 50)), ms(percentile(s1.latencies, 99)), ms(Math.max(...s1.latencies))],
      [`:${CONSOLE_PORT_2}`, s2.latencies.length, statusLine(s2), ms(percentile(s2.latencies, 50)), ms(percentile(s2.latencies, 99)), ms(Math.max(...s2.latencies))],
    ],
  });
  r.tables.push({
    head: ["upstream refreshes (sandbox)", "token-endpoint calls", "throttled", "refreshes recorded by the console", "distinct tokens handed out", "burst wall time ms"],
    rows: [[counters.tokensMinted.refresh_token, counters.tokenEndpointCalls, counters.throttled, `${mints} mint, ${refreshAudits} audit`, tokens.size, ms(wall)]],
  });
  const ok200 = all.statuses[200] ?? 0;
  r.goal("exactly 1 upstream refresh for 200 concurrent requests", `${counters.tokensMinted.refresh_token} (${counters.tokenEndpointCalls} token-endpoint calls)`, counters.tokensMinted.refresh_token === 1);
  r.goal("all 200 answered with the one new token", `${ok200}/${PER_PROCESS * 2} × 200, ${tokens.size} distinct token(s)`, ok200 === PER_PROCESS * 2 && tokens.size === 1);
  r.notes.push(
    "Inside a process the callers share one promise (the in-flight map); across processes a lease row in SQLite lets one refresh while the other polls the row (every 150 ms) and takes the token the winner stored.",
    "The connection's access token was set to have expired a minute before; keep_fresh off and the background refresher off, so only the burst could refresh it.",
  );
  return r.done();
}
