// 7. Several instances on PostgreSQL behind HAProxy (deploy/haproxy.cfg, Debian's package): token
// API throughput on warm tokens with one instance and with two, and one rate limit shared by both.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "@/sandbox/seed";
import { CONSOLE_PORT, CONSOLE_PORT_2, CONSOLE_URL, DATA_DIR } from "../config";
import { cannon, percentile, requestsPerSecond, statusLine, type Sample } from "../load";
import { startConsole, waitForHttp, type Server } from "../processes";
import { ms, type ScenarioReport } from "../report";
import { mintGrants } from "../sandbox-grants";
import { seedAdmin, seedApiKey, seedClients, seedRealConnections } from "../seed";
import { encrypt, freshDatabase, Reporter, scenarioFolder, sleep, startSandbox } from "./common";

const LB_PORT = CONSOLE_PORT + 2;
const LB_URL = `http://localhost:${LB_PORT}`;
const CONNECTIONS = 20;
const SECONDS = 15;
const LIMIT_PER_MINUTE = 600;
const LIMITED_CALLS = 1_200;

/** HAProxy with the committed configuration, in front of `backends` (one given twice stands alone). */
async function startHaproxy(backends: number[]): Promise<{ stop(): Promise<void> }> {
  if (spawnSync("haproxy", ["-v"]).status !== 0) throw new Error("haproxy is not installed (apt-get install haproxy)");
  const logFile = path.join(DATA_DIR, "logs", `haproxy-${LB_PORT}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, "w");
  const [a, b = a] = backends;
  const child: ChildProcess = spawn("haproxy", ["-db", "-f", path.join("deploy", "haproxy.cfg")], {
    env: { ...process.env, CONSOLE_LB_BIND: `*:${LB_PORT}`, CONSOLE_A: `127.0.0.1:${a}`, CONSOLE_B: `127.0.0.1:${b}` },
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  await waitForHttp(`${LB_URL}/api/health`, 30_000, child, logFile);
  return {
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

interface Throughput {
  instances: number;
  sample: Sample;
}

export async function instances(): Promise<ScenarioReport> {
  const r = new Reporter(7, "Several instances on PostgreSQL behind HAProxy");
  const dir = scenarioFolder("7-instances");
  const sandbox = await startSandbox(dir);
  const { target, handle } = await freshDatabase(dir, "postgres");
  const admin = await seedAdmin(handle);
  const [clientRef] = await seedClients(handle, encrypt, [{ name: "Sandbox demo client", clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET }], admin.id);
  const key = await seedApiKey(handle, admin.id);
  const limited = await seedApiKey(handle, admin.id, LIMIT_PER_MINUTE);
  const [grant] = await mintGrants(sandbox.url, CONSOLE_URL, 1, "instances");
  const id = (await seedRealConnections(handle, [grant], { clientRef, encrypt, keepFresh: false, namePrefix: "warm" })).firstId;
  await handle.close();

  const consoles: Server[] = [];
  // One public URL for every instance (the one the sandbox's demo client has as its redirect URI's base).
  const env = { CONSOLE_PUBLIC_URL: CONSOLE_URL, AUTH_URL: CONSOLE_URL, TRUSTED_PROXY_HOPS: "1" };
  const tokenUrl = `${LB_URL}/api/v1/connections/${id}/token?min_validity=300`;
  const results: Throughput[] = [];
  let limitedSample: Sample | undefined;
  try {
    for (const port of [CONSOLE_PORT, CONSOLE_PORT_2]) {
      consoles.push(await startConsole({ port, db: target, refresher: "off", env: { ...env, CONSOLE_INSTANCE_NAME: `bench-${port}` } }));
      const lb = await startHaproxy(consoles.map((c) => c.port));
      try {
        const headers = { authorization: `Bearer ${key.key}` };
        r.log(`${consoles.length} instance(s) behind HAProxy: warming, then ${SECONDS} s at ${CONNECTIONS} connections`);
        await cannon({ url: tokenUrl, headers, connections: CONNECTIONS, duration: 3 });
        results.push({ instances: consoles.length, sample: await cannon({ url: tokenUrl, headers, connections: CONNECTIONS, duration: SECONDS }) });
        if (consoles.length === 2) {
          await sleep(1_000);
          r.log(`${LIMITED_CALLS} calls with a key limited to ${LIMIT_PER_MINUTE} a minute, split over both instances`);
          limitedSample = await cannon({ url: tokenUrl, headers: { authorization: `Bearer ${limited.key}` }, connections: CONNECTIONS, amount: LIMITED_CALLS });
        }
      } finally {
        await lb.stop();
      }
    }
  } finally {
    await Promise.all(consoles.map((c) => c.stop()));
  }

  r.tables.push({
    head: ["instances behind HAProxy", "requests", "answers", "req/s", "p50 ms", "p99 ms"],
    rows: results.map((x) => [x.instances, x.sample.latencies.length, statusLine(x.sample), requestsPerSecond(x.sample).toFixed(0), ms(percentile(x.sample.latencies, 50)), ms(percentile(x.sample.latencies, 99))]),
  });
  const [one, two] = results;
  const ratio = requestsPerSecond(two.sample) / requestsPerSecond(one.sample);
  r.goal("every token call answered 200 through HAProxy", results.map((x) => `${x.instances}: ${statusLine(x.sample)}`).join("; "), results.every((x) => Object.keys(x.sample.statuses).join() === "200" && !x.sample.errors));
  r.goal("throughput with 2 instances vs 1 (informational on 2 cores)", `${ratio.toFixed(2)}×`, null);

  const s = limitedSample!;
  const accepted = s.statuses[200] ?? 0;
  // The bucket starts full (one minute's calls) and earns a call every 60 000 / limit ms meanwhile.
  const earned = Math.floor((s.durationMs * LIMIT_PER_MINUTE) / 60_000);
  const allowed = LIMIT_PER_MINUTE + earned;
  r.tables.push({
    title: "One rate limit across two instances",
    head: ["limit per minute", "calls", "accepted (200)", "refused (429)", "burst ms", "at most: limit + earned during the burst"],
    rows: [[LIMIT_PER_MINUTE, LIMITED_CALLS, accepted, s.statuses[429] ?? 0, ms(s.durationMs), allowed]],
  });
  // At least the full bucket, never more than it plus what the burst's duration earns (one instance
  // each keeping its own bucket would accept about twice the limit).
  r.goal(`a key limited to ${LIMIT_PER_MINUTE}/min across two instances: between ${LIMIT_PER_MINUTE} and ${LIMIT_PER_MINUTE} + what the burst earns`, `${accepted} accepted, at most ${allowed} allowed`, accepted >= LIMIT_PER_MINUTE && accepted <= allowed + 1);
  r.notes.push(
    `PostgreSQL (the bench's cluster), warm tokens (no refresh), ${CONNECTIONS} connections for ${SECONDS} s through HAProxy with deploy/haproxy.cfg. On this machine's two cores the instances, HAProxy, PostgreSQL and the load generator share the CPU: a second instance shows the cost of coordination (a rate-limit upsert per call, the shared lease) more than a speed-up, which needs cores or hosts of its own.`,
    "The rate limit's bucket is a row: each call takes from it with one upsert by the database's clock, so the instances enforce one limit together. The bench times the burst from outside (connection set-up included), the bucket earns only between its first and last call: the allowance is an upper bound.",
  );
  return r.done();
}
