import "server-only";
import { log, requestContext } from "@/lib/log";
import { metrics, type MetricTrigger } from "@/lib/metrics/registry";

type EngineTrigger = "manual" | "background" | "api" | "rejected";

interface RefreshReport {
  connectionId: number;
  trigger: EngineTrigger;
  /** discarded: Zoho answered, but the connection was re-authorized or revoked meanwhile. */
  outcome: "success" | "failure" | "discarded";
  /** Zoho's error kind, or key_missing. */
  kind?: string;
  /** How long Zoho's token endpoint took; absent when it was not called. */
  durationMs?: number;
}

/** The refresh's trigger as metrics name it: an API refresh made for the proxy counts as proxy. */
export function metricTrigger(trigger: EngineTrigger): MetricTrigger {
  if (trigger === "background") return "scheduled";
  if (trigger === "api" && requestContext()?.route === "proxy") return "proxy";
  return trigger;
}

/** One log line and the counters for a refresh that reached Zoho (or failed on a missing key). */
export function reportRefresh(r: RefreshReport) {
  const trigger = metricTrigger(r.trigger);
  const m = metrics();
  m.refreshes.inc({ trigger, outcome: r.outcome });
  if (r.outcome === "failure") m.refreshFailures.inc({ trigger, kind: r.kind ?? "unknown" });
  if (r.kind === "throttled") m.throttles.inc({ trigger });
  if (r.durationMs !== undefined) m.refreshDuration.observe({ outcome: r.outcome }, r.durationMs / 1000);
  const line = { event: "token.refresh", connectionId: r.connectionId, trigger, outcome: r.outcome, errorKind: r.kind, durationMs: r.durationMs };
  if (r.outcome === "success") log("refresh").info(line, "access token refreshed");
  else log("refresh").warn(line, r.outcome === "discarded" ? "refresh result discarded" : "refresh failed");
}
