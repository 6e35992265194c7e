// 8. Alert delivery: 1,000 events written into the outbox at once, sent by the console's own
// dispatcher (a production build) to a local webhook receiver that verifies every signature with
// the `standardwebhooks` package. SQLite with one instance; PostgreSQL with two sharing the queue.
// Reports throughput, the age of the oldest pending delivery while the queue drains, and whether
// any event arrived twice or not at all.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { count, eq, min } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { secretPlace } from "@/lib/secret-places";
import { CONSOLE_PORT, CONSOLE_PORT_2, CONSOLE_URL } from "../config";
import { startConsole } from "../processes";
import { ms, type ScenarioReport } from "../report";
import { seedAdmin, tablesOf } from "../seed";
import { encrypt, ENGINE_LABEL, freshDatabase, Reporter, scenarioFolder, sleep, type Engine } from "./common";

const EVENTS = 1_000;
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

/** Counts verified deliveries per webhook-id; a bad signature is counted apart. */
async function receiver() {
  const seen = new Map<string, number>();
  let bad = 0;
  let lastAt = 0;
  const wh = new Webhook(SECRET);
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      try {
        wh.verify(body, req.headers as Record<string, string>);
        const id = String(req.headers["webhook-id"]);
        seen.set(id, (seen.get(id) ?? 0) + 1);
        lastAt = performance.now();
      } catch {
        bad++;
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    seen,
    bad: () => bad,
    lastAt: () => lastAt,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function round(engine: Engine, instances: number, r: Reporter) {
  const dir = scenarioFolder(`alerts-${engine}`);
  const { target, handle } = await freshDatabase(dir, engine);
  const t = tablesOf(handle);
  const hook = await receiver();
  const admin = await seedAdmin(handle);
  const [dest] = await handle.db.insert(t.alertDestinations).values({ name: "bench receiver", kind: "webhook", urlHint: "http://127.0.0.1/…", createdBy: admin.id }).returning();
  await handle.db
    .update(t.alertDestinations)
    .set({ urlEnc: encrypt(hook.url, secretPlace.alertUrl(dest.id)), secretEnc: encrypt(SECRET, secretPlace.alertSecret(dest.id)) })
    .where(eq(t.alertDestinations.id, dest.id));
  const ports = [CONSOLE_PORT, CONSOLE_PORT_2].slice(0, instances);
  const consoles = await Promise.all(
    ports.map((port) => startConsole({ port, db: target, env: { CONSOLE_PUBLIC_URL: CONSOLE_URL, CONSOLE_ALERTS_ALLOWED_HOSTS: "127.0.0.1" } })),
  );
  try {
    r.log(`${ENGINE_LABEL[engine]}: ${instances} instance(s) up; writing ${EVENTS} events in one transaction`);
    const started = performance.now();
    await handle.transaction(async (db) => {
      for (let i = 0; i < EVENTS; i += 250) {
        const batch = Array.from({ length: Math.min(250, EVENTS - i) }, (_, j) => {
          const publicId = `msg_bench${i + j}_${randomBytes(6).toString("hex")}`;
          return {
            publicId,
            type: "test",
            payload: { id: publicId, type: "test", version: 1, timestamp: new Date().toISOString(), data: { message: `bench ${i + j}`, destination: { id: dest.id, name: dest.name }, url: CONSOLE_URL } },
          };
        });
        const events = await db.insert(t.alertEvents).values(batch).returning({ id: t.alertEvents.id });
        await db.insert(t.alertDeliveries).values(events.map((e) => ({ eventRef: e.id, destinationRef: dest.id, nextAttemptAt: new Date() })));
      }
    });
    const written = performance.now();
    let oldestMax = 0;
    const d = t.alertDeliveries;
    for (;;) {
      const [q] = await handle.db.select({ n: count(), oldest: min(d.createdAt) }).from(d).where(eq(d.state, "pending"));
      if (q.oldest) oldestMax = Math.max(oldestMax, Date.now() - new Date(q.oldest as unknown as Date).getTime());
      if (q.n === 0 || performance.now() - written > 120_000) break;
      await sleep(200);
    }
    const drained = performance.now();
    const seconds = (Math.max(hook.lastAt(), written) - written) / 1000;
    const [delivered] = await handle.db.select({ n: count() }).from(d).where(eq(d.state, "delivered"));
    const twice = [...hook.seen.values()].filter((n) => n > 1).length;
    return {
      engine,
      instances,
      delivered: delivered.n,
      received: hook.seen.size,
      twice,
      bad: hook.bad(),
      perSecond: hook.seen.size / Math.max(seconds, 0.001),
      drainSeconds: (drained - written) / 1000,
      writeMs: written - started,
      oldestMax,
    };
  } finally {
    await Promise.all(consoles.map((c) => c.stop()));
    await hook.close();
    await handle.close();
  }
}

export async function alerts(): Promise<ScenarioReport> {
  const r = new Reporter(8, "Alert delivery: 1,000 events through the outbox and dispatcher");
  const rounds = [await round("sqlite", 1, r), await round("postgres", 2, r)];
  r.tables.push({
    title: "1,000 signed webhooks to a local receiver (every signature verified with standardwebhooks)",
    head: ["engine", "instances", "write 1,000 events (ms)", "delivered", "received once", "received twice", "bad signatures", "deliveries/s", "oldest pending, max (s)"],
    rows: rounds.map((x) => [
      ENGINE_LABEL[x.engine],
      x.instances,
      ms(x.writeMs),
      x.delivered,
      x.received,
      x.twice,
      x.bad,
      x.perSecond.toFixed(0),
      (x.oldestMax / 1000).toFixed(1),
    ]),
  });
  for (const x of rounds) {
    const label = `${ENGINE_LABEL[x.engine]}, ${x.instances} instance(s)`;
    r.goal(`${label}: every event delivered exactly once`, `${x.received} of ${EVENTS} received, ${x.twice} twice, ${x.bad} bad signatures`, x.received === EVENTS && x.twice === 0 && x.bad === 0);
    r.goal(`${label}: the oldest pending delivery waits under 60 s`, `${(x.oldestMax / 1000).toFixed(1)} s`, x.oldestMax < 60_000);
  }
  r.notes.push(
    "Each instance's dispatcher claims 20 due deliveries at a time and sends 4 at once (10 s timeout each); the events are written in one transaction, as a burst of incidents would write them, and the clock runs from its commit.",
    "The oldest pending age is sampled every 200 ms from the database; it is also the metric zoho_console_alert_oldest_pending_age_seconds.",
  );
  return r.done();
}
