import { auditHref } from "@/lib/audit/filters";
import type { ActivityRow } from "./activity-buckets";

/**
 * The audit trail's refresh events of one bar's period (its local hour or day, as exact instants),
 * all of them or only the successes or failures: what a click on the bar or its table row opens.
 */
export function periodAuditHref(row: Pick<ActivityRow, "start" | "end">, outcome?: "success" | "failure"): string {
  return auditHref({
    action: "connection.refresh",
    ...(outcome ? { outcome } : {}),
    range: "custom",
    from: new Date(row.start).toISOString(),
    to: new Date(row.end).toISOString(),
  });
}
