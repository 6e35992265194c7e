// 1. The token API on warm tokens next to GET /api/health on the same server: 50 connections,
// 20 s each, taken in alternating 5 s slices so both see the same machine.
import os from "node:os";
import path from "node:path";
import { CONSOLE_PORT, CONSOLE_URL } from "../config";
import { cannon, percentile, requestsPerSecond, sideBySide, statusLine } from "../load";
import { startConsole } from "../processes";
import { CATEGORIES, readProfile, split, type Split } from "../profile";
import { ms, type ScenarioReport } from "../report";
import { seedAdmin, seedApiKey, seedClients, seedFleet, seedStatusOf, syntheticClients } from "../seed";
import { sandboxCounters } from "../sandbox-grants";
import { encrypt, freshDatabase, Reporter, startSandbox } from "./common";

const CONNECTIONS = 50;
const SECONDS = 20;
const SLICES = 4;
const FLEET = 200;
const PROFILE_SECONDS = 8;

export async function tokenApi(): Promise<ScenarioReport> {
  const r = new Reporter(1, "Token API on warm tokens vs /api/health");
  const { dir, dbFile, db, sqlite } = freshDatabase("1-token-api");
  const admin = seedAdmin(db);
  const clientRefs = seedClients(db, encrypt, syntheticClients(2), admin.id);
  const key = seedApiKey(db, admin.id);
  const sandbox = await startSandbox(dir);
  const fleet = seedFleet(db, { count: FLEET, clientRefs, encrypt, sandboxUrl: sandbox.url, createdBy: admin.id });
  sqlite.close();
  // Active connections only: their tokens have 15–60 minutes left, more than min_validity=300.
  const ids = Array.from({ length: FLEET }, (_, i) => i).filter((i) => seedStatusOf(i) === "active").map((i) => fleet.firstId + i);
  r.log(`seeded ${FLEET} connections (${ids.length} active); starting the console`);
  const server = await startConsole({ port: CONSOLE_PORT, dbFile, refresher: "off" });

  const auth = { authorization: `Bearer ${key.key}` };
  const tokenRequests = ids.map((id) => ({ method: "GET", path: `/api/v1/connections/${id}/token?min_validity=300`, headers: auth }));
  const health = (duration: number, connections = CONNECTIONS) => cannon({ url: `${CONSOLE_URL}/api/health`, connections, duration });
  const token = (duration: number, connections = CONNECTIONS) => cannon({ url: CONSOLE_URL, connections, duration, requests: tokenRequests });
  r.log("warming up (3 s each)");
  await health(3, 10);
  await token(3, 10);
  const before = await sandboxCounters(sandbox.url);
  r.log(`measuring: ${SLICES} alternating slices of ${SECONDS / SLICES} s each, ${CONNECTIONS} connections`);
  const { a: h, b: t } = await sideBySide(
    () => health(SECONDS / SLICES),
    () => token(SECONDS / SLICES),
    SLICES,
  );
  const after = await sandboxCounters(sandbox.url);
  await server.stop();

  // The same two loads once more, each on a console under the V8 profiler, to see where the
  // server's time per request goes (the profiler slows it; only the shares are used).
  const profiles: Record<"health" | "token", Split> = {} as Record<"health" | "token", Split>;
  for (const [name, run] of [
    ["health", health],
    ["token", token],
  ] as const) {
    r.log(`profiling ${name}`);
    const profDir = path.join(dir, `profile-${name}`);
    const profiled = await startConsole({ port: CONSOLE_PORT, dbFile, refresher: "off", nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profDir}`] });
    await run(2, 10);
    await run(PROFILE_SECONDS);
    await profiled.stop();
    profiles[name] = split(readProfile(profDir));
  }

  const rpsH = requestsPerSecond(h);
  const rpsT = requestsPerSecond(t);
  const ratio = rpsT / rpsH;
  const p = (s: typeof h, q: number) => percentile(s.latencies, q);
  r.tables.push({
    head: ["route", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "answers"],
    rows: [
      ["GET /api/health", h.latencies.length, rpsH.toFixed(0), ms(p(h, 50)), ms(p(h, 99)), ms(Math.max(...h.latencies)), statusLine(h)],
      ["GET /api/v1/connections/{id}/token", t.latencies.length, rpsT.toFixed(0), ms(p(t, 50)), ms(p(t, 99)), ms(Math.max(...t.latencies)), statusLine(t)],
    ],
  });
  const allOk = (t.statuses[200] ?? 0) === t.latencies.length && !t.errors && !t.timeouts;
  const upstream = after.tokenEndpointCalls - before.tokenEndpointCalls;
  r.goal("token req/s ÷ health req/s ≥ 0.8", `${ratio.toFixed(2)} (${rpsT.toFixed(0)} ÷ ${rpsH.toFixed(0)})`, ratio >= 0.8);
  r.goal("token p99 < 25 ms", `${ms(p(t, 99))} ms (p50 ${ms(p(t, 50))} ms; health p99 ${ms(p(h, 99))} ms)`, p(t, 99) < 25);
  r.goal("every token call answered 200 without calling Zoho", `${statusLine(t)}; ${upstream} upstream calls`, allOk && upstream === 0);
  r.notes.push(
    `${CONNECTIONS} connections, ${SECONDS} s per route in ${SLICES} alternating slices (ABBA); ${ids.length} connections with warm tokens requested round-robin; the API key has its own limit of 1,000,000/min; background refresher off.`,
    "Load generator (autocannon) and server share the machine's cores, so absolute req/s understate a dedicated server; the ratio and latencies compare like with like.",
  );
  const msPerH = 1000 / rpsH;
  const msPerT = 1000 / rpsT;
  const perRequest = (sp: Split, msPer: number) => Object.fromEntries(CATEGORIES.map((c) => [c, sp.share[c] * msPer])) as Record<(typeof CATEGORIES)[number], number>;
  const hCat = perRequest(profiles.health, msPerH);
  const tCat = perRequest(profiles.token, msPerT);
  r.tables.push({
    title: "Where the server's time per request goes (1 ÷ req/s, split by the shares of a CPU profile of each route)",
    head: ["", "GET /api/health ms", "GET …/token ms", "difference ms"],
    rows: [
      ["all", ms(msPerH), ms(msPerT), ms(msPerT - msPerH)],
      ...CATEGORIES.map((c) => [c, hCat[c].toFixed(2), tCat[c].toFixed(2), (tCat[c] - hCat[c]).toFixed(2)]),
    ],
  });
  r.tables.push({
    title: "The token route's busiest functions in the bundled server code (self time in the profile)",
    head: ["function (minified)", "self ms", "library"],
    rows: profiles.token.top.map((f) => [f.label, ms(f.ms), f.hint || "not identified"]),
  });
  if (ratio < 0.8) {
    const ranked = CATEGORIES.map((c) => [c, tCat[c] - hCat[c]] as const).sort((x, y) => y[1] - x[1]);
    const drizzle = profiles.token.top.filter((f) => f.hint === "drizzle-orm");
    r.notes.push(
      `Reading (ratio): for 0.8 a token request may cost at most ${ms(msPerH / 0.8)} ms of server time; it costs ${ms(msPerT)} ms against ${ms(msPerH)} ms for health. ` +
        `Of the ${ms(msPerT - msPerH)} ms difference, ${ranked
          .filter(([, d]) => d > 0.05)
          .map(([c, d]) => `${d.toFixed(2)} ms is ${c}`)
          .join(", ")}. ` +
        (drizzle.length
          ? `The busiest functions there are drizzle-orm's (${drizzle.map((f) => f.label.split(" in ")[0]).join(", ")}: its entity checks and query building), run anew for each of the call's three reads — the key by hash, the connection row (all columns), its data centre — and better-sqlite3 prepares each statement again on every call. `
          : "") +
        `Statements prepared once and narrower selects would shrink the console-code and better-sqlite3 shares (${ms(tCat[CATEGORIES[0]] + tCat[CATEGORIES[1]])} ms per token request); even at zero the ratio would be about ${(msPerH / (msPerT - tCat[CATEGORIES[0]] - tCat[CATEGORIES[1]])).toFixed(2)}, because Node.js and Next.js themselves spend ${ms(tCat["Node.js (HTTP, streams, URL, async hooks)"] + tCat["Next.js server"] - hCat["Node.js (HTTP, streams, URL, async hooks)"] - hCat["Next.js server"])} ms more on a token request than on a health check (not located further: a dynamic route segment, a larger JSON answer, more asynchronous steps). A ratio of 0.8 allows a token request only ${ms(msPerH / 0.8 - msPerH)} ms more than a health check in all.`,
    );
  }
  if (p(t, 99) >= 25) {
    r.notes.push(
      `Reading (p99): with ${CONNECTIONS} requests always in flight, latency ≈ connections ÷ throughput (Little's law): ${CONNECTIONS} ÷ ${rpsT.toFixed(0)}/s ≈ ${ms((CONNECTIONS / rpsT) * 1000)} ms on average for the token route, ${ms((CONNECTIONS / rpsH) * 1000)} ms for health. A p99 under 25 ms at 50 connections needs well over ${(CONNECTIONS / 0.025).toFixed(0)} req/s, which no route reaches under \`next start\` on this machine (health: ${rpsH.toFixed(0)}/s, p99 ${ms(p(h, 99))} ms). The goal is bound by the server's throughput on ${os.cpus().length} cores shared with the load generator, not by the token code.`,
    );
  }
  return r.done();
}
