import "server-only";
import { Gauge } from "prom-client";
import { databaseGauges } from "./database";
import { METRIC_PREFIX, metrics } from "./registry";

const holder = globalThis as unknown as { __consoleDbGauges?: ReturnType<typeof createDatabaseGauges> };

/** The gauges read from the database at scrape time; added to the registry once. */
function createDatabaseGauges() {
  const registers = [metrics().registry];
  return {
    connections: new Gauge({
      name: `${METRIC_PREFIX}connections`,
      help: "Connections by status (the status the console shows), computed from the database at scrape time.",
      labelNames: ["status"] as const,
      registers,
    }),
    expiry: new Gauge({
      name: `${METRIC_PREFIX}access_token_earliest_expiry_seconds`,
      help: "Seconds until the earliest expiry among the access tokens the refresher keeps fresh (negative once one has expired; absent when none).",
      registers,
    }),
    slots: new Gauge({
      name: `${METRIC_PREFIX}refresh_token_slots_free`,
      help: "Refresh tokens the fullest (client, Zoho user) pair may still get before Zoho deletes its oldest (absent without live refresh tokens).",
      registers,
    }),
  };
}

/** The metrics in Prometheus' text format, with the database gauges read now. */
export async function scrapeMetrics(now = Date.now()): Promise<{ body: string; contentType: string }> {
  const gauges = (holder.__consoleDbGauges ??= createDatabaseGauges());
  const g = await databaseGauges(now);
  gauges.connections.reset();
  for (const [status, n] of Object.entries(g.connections)) gauges.connections.set({ status }, n);
  gauges.expiry.reset();
  if (g.earliestExpirySec !== undefined) gauges.expiry.set(g.earliestExpirySec);
  gauges.slots.reset();
  if (g.refreshTokenSlotsFree !== undefined) gauges.slots.set(g.refreshTokenSlotsFree);
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
