import "server-only";
import { stringify } from "csv-stringify/sync";
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

// csv-stringify stops quoting a lone \n or \r once a record delimiter is set: asked for
// explicitly, or a name or message holding one would split its row in two. Cells a spreadsheet
// would run as a formula (=, +, -, @, tab, CR) are prefixed with a quote.
const CSV_OPTIONS = {
  columns: [...CSV_COLUMNS],
  record_delimiter: "windows",
  quote_record_delimiter: true,
  escape_formulas: true,
} as const;

/** How an export ended: every row sent, or cut short (the reader left, or reading failed). */
export interface CsvOutcome {
  rows: number;
  complete: boolean;
}

/**
 * RFC 4180 CSV (CRLF, quoted where needed, a header row) of the batches, as a pull stream: each
 * read by the consumer takes the next batch and turns it into one chunk, and nothing is read
 * ahead. A reader that stalls (a slow client, a full socket) leaves the batches unread rather
 * than piling up in memory; a reader that cancels returns the iterator, which stops the query.
 * `onEnd` hears once how it ended.
 */
export function auditCsvStream(batches: AsyncIterator<AuditEventDto[]>, onEnd?: (outcome: CsvOutcome) => void | Promise<void>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let header = true;
  let rows = 0;
  let ended = false;
  const end = async (complete: boolean) => {
    if (ended) return;
    ended = true;
    await onEnd?.({ rows, complete });
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // An empty batch adds nothing to send: read on, or a pending read would wait forever.
          for (;;) {
            const next = await batches.next();
            if (ended) return;
            const events = next.done ? [] : next.value;
            if (events.length || header) {
              const text = stringify(events.map(csvRecord), { ...CSV_OPTIONS, header });
              header = false;
              rows += events.length;
              controller.enqueue(encoder.encode(text));
            }
            if (next.done) {
              await end(true);
              controller.close();
              return;
            }
            if (events.length) return;
          }
        } catch (e) {
          await end(false);
          throw e;
        }
      },
      async cancel() {
        await end(false);
        await batches.return?.();
      },
    },
    // Nothing buffered ahead of the reader: a batch is read when a chunk is asked for.
    { highWaterMark: 0 },
  );
}

export const csvFilename = (now: Date) => `audit-${now.toISOString().slice(0, 10)}.csv`;
