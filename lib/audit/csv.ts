import "server-only";
import { pipeline, Readable, Transform } from "node:stream";
import { stringify } from "csv-stringify";
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

/**
 * RFC 4180 CSV (CRLF, quoted where needed, a header row) of the events, streamed with
 * backpressure: only the rows in flight are held. Cells a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR) are prefixed with a quote by csv-stringify.
 */
export function auditCsvStream(events: AsyncIterable<AuditEventDto>): Readable {
  const records = Readable.from(
    (async function* () {
      for await (const e of events) yield csvRecord(e);
    })(),
  );
  // csv-stringify stops quoting a lone \n or \r once a record delimiter is set: asked for
  // explicitly, or a name or message holding one would split its row in two.
  const csv = stringify({
    header: true,
    columns: [...CSV_COLUMNS],
    record_delimiter: "windows",
    quote_record_delimiter: true,
    escape_formulas: true,
  });
  // csv-stringify writes one chunk per record; gathered into chunks of about 64 kB, a large
  // export costs a few thousand socket writes instead of one per row.
  const out = coalesce(64 * 1024);
  // pipeline closes every stage when the download is cut short, so the events' generator
  // finishes (its `finally` runs) instead of hanging until garbage collection.
  return pipeline(records, csv, out, () => {});
}

function coalesce(size: number): Transform {
  let held: Buffer[] = [];
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      held.push(b);
      bytes += b.length;
      if (bytes >= size) {
        this.push(Buffer.concat(held, bytes));
        held = [];
        bytes = 0;
      }
      done();
    },
    flush(done) {
      if (bytes) this.push(Buffer.concat(held, bytes));
      done();
    },
  });
}

export const csvFilename = (now: Date) => `audit-${now.toISOString().slice(0, 10)}.csv`;
