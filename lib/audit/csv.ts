import "server-only";
import { csvOptions, csvStream, type CsvOutcome } from "@/lib/csv-stream";
import type { AuditEventDto } from "./query";

/** The export's columns, in order; times are ISO 8601 in UTC. */
export const CSV_COLUMNS = [
  "time_utc",
  "actor_type",
  "actor",
  "actor_id",
  "action",
  "action_label",
  "target_type",
  "target_id",
  "target_name",
  "outcome",
  "ip",
  "count",
  "summary",
  "detail_json",
] as const;

function csvRecord(e: AuditEventDto): string[] {
  return [
    new Date(e.at).toISOString(),
    e.actor.type,
    e.actor.label,
    e.actor.id ?? "",
    e.action,
    e.actionLabel,
    e.target?.type ?? "",
    e.target?.id ?? "",
    e.target?.label ?? "",
    e.outcome,
    e.ip ?? "",
    String(e.count),
    e.summary,
    e.detail ? JSON.stringify(e.detail) : "",
  ];
}

const CSV_OPTIONS = csvOptions(CSV_COLUMNS);

export type { CsvOutcome };

/** The events as CSV, streamed one keyset batch per chunk (lib/csv-stream.ts). */
export function auditCsvStream(batches: AsyncIterator<AuditEventDto[]>, onEnd?: (outcome: CsvOutcome) => void | Promise<void>): ReadableStream<Uint8Array> {
  return csvStream(batches, CSV_OPTIONS, csvRecord, onEnd);
}

export const csvFilename = (now: Date) => `audit-${now.toISOString().slice(0, 10)}.csv`;
