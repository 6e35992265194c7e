import { connectionStatus, type ConnectionStatus } from "@/lib/connection-status";
import type { ConnectionDto } from "@/lib/connections/queries";

/** The status as the browser shows it: the facts plus the kind of the last error (e.g. a missing key). */
export function statusOf(c: Pick<ConnectionDto, "facts" | "lastError">, now: number): ConnectionStatus {
  return connectionStatus({ ...c.facts, lastErrorKind: c.lastError?.kind ?? null }, now);
}
