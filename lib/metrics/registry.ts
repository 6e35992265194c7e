import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { instanceId } from "@/lib/instances";
import { alertQueueStats } from "@/lib/alerts/queue";

/**
 * The console's Prometheus metrics, created once per process. Next.js may load this module more
 * than once (route bundles, instrumentation), so the registry lives on globalThis: every copy
 * counts into the same metrics. Label values come from fixed sets only (triggers, error kinds,
 * route families, statuses), never from ids, names or addresses.
 */

export const METRIC_PREFIX = "zoho_console_";
const m = (name: string) => `${METRIC_PREFIX}${name}`;

/**
 * Refresh triggers as metrics name them: the refresher's schedule, a person, the token API, the
 * proxy, and a refresh because Zoho refused the token before it.
 */
export const REFRESH_TRIGGERS = ["scheduled", "manual", "api", "proxy", "rejected"] as const;
export type MetricTrigger = (typeof REFRESH_TRIGGERS)[number];

/** A scrape while the database does not answer still gets the process's own metrics. */
const queueStatsOrNone = () => alertQueueStats().catch(() => undefined);

function create() {
  const registry = new Registry();
  // Every series names the instance that counted it. Not "instance": Prometheus sets that label
  // itself (the scraped address) and would rename ours.
  registry.setDefaultLabels({ console_instance: instanceId() });
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const registers = [registry];
  return {
    registry,
    refreshes: new Counter({
      name: m("token_refreshes_total"),
      help: "Access-token refreshes sent to Zoho, by trigger and outcome (success, failure, or discarded because the connection was re-authorized meanwhile).",
      labelNames: ["trigger", "outcome"] as const,
      registers,
    }),
    refreshFailures: new Counter({
      name: m("token_refresh_failures_total"),
      help: "Failed access-token refreshes by trigger and kind (Zoho's error kind, or key_missing when a stored secret cannot be decrypted).",
      labelNames: ["trigger", "kind"] as const,
      registers,
    }),
    throttles: new Counter({
      name: m("zoho_throttles_total"),
      help: "Refreshes Zoho answered with its throttle (too many access tokens from one refresh token), by trigger.",
      labelNames: ["trigger"] as const,
      registers,
    }),
    refreshDuration: new Histogram({
      name: m("token_refresh_duration_seconds"),
      help: "Time Zoho's token endpoint took to answer a refresh, by outcome.",
      labelNames: ["outcome"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    apiRequests: new Counter({
      name: m("api_requests_total"),
      help: "Service API (/api/v1) calls by route family and outcome (ok, an error code of the API, or upstream_error for a Zoho error passed through by the proxy).",
      labelNames: ["route", "outcome"] as const,
      registers,
    }),
    apiDuration: new Histogram({
      name: m("api_request_duration_seconds"),
      help: "Service API (/api/v1) call duration by route family.",
      labelNames: ["route"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    refresherRuns: new Histogram({
      name: m("refresher_run_duration_seconds"),
      help: "Duration of the background refresher's passes.",
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    }),
    refresherLastRun: new Gauge({
      name: m("refresher_last_run_timestamp_seconds"),
      help: "Unix time when the background refresher last finished a pass (absent until the first).",
      registers,
    }),
    tokenRejections: new Counter({
      name: m("token_rejections_total"),
      help: "Access tokens Zoho refused before their expiry, by where it was seen (verify, proxy, report, healthcheck) and what the console did (refreshed, already_replaced, refused_again, limited, refresh_failed, not_confirmed).",
      labelNames: ["source", "outcome"] as const,
      registers,
    }),
    alertDeliveries: new Counter({
      name: m("alert_deliveries_total"),
      help: "Alert delivery attempts by destination kind (webhook, slack, email) and outcome (delivered, retry, failed).",
      labelNames: ["kind", "outcome"] as const,
      registers,
    }),
    alertQueueDepth: new Gauge({
      name: m("alert_queue_depth"),
      help: "Alert deliveries waiting to be sent or retried (every instance reports the same shared queue).",
      registers,
      async collect() {
        const q = await queueStatsOrNone();
        if (q) this.set(q.pending);
      },
    }),
    alertOldestPending: new Gauge({
      name: m("alert_oldest_pending_age_seconds"),
      help: "Age of the oldest alert delivery still waiting (0 when none waits).",
      registers,
      async collect() {
        const q = await queueStatsOrNone();
        if (q) this.set(q.oldestPendingAgeMs / 1000);
      },
    }),
    oauthCallbacks: new Counter({
      name: m("oauth_callbacks_total"),
      help: "OAuth callbacks from Zoho by outcome (connected, or the failure code shown to the admin).",
      labelNames: ["outcome"] as const,
      registers,
    }),
  };
}

/** Known series start at 0, so rate() and alerts see them before the first event. */
function initialise(m: ReturnType<typeof create>) {
  for (const trigger of REFRESH_TRIGGERS) {
    for (const outcome of ["success", "failure", "discarded"] as const) m.refreshes.inc({ trigger, outcome }, 0);
    m.throttles.inc({ trigger }, 0);
  }
  for (const kind of ["webhook", "slack", "email"]) {
    for (const outcome of ["delivered", "retry", "failed"]) m.alertDeliveries.inc({ kind, outcome }, 0);
  }
  return m;
}

export type ConsoleMetrics = ReturnType<typeof create>;

const holder = globalThis as unknown as { __consoleMetrics?: ConsoleMetrics };

export function metrics(): ConsoleMetrics {
  return (holder.__consoleMetrics ??= initialise(create()));
}
