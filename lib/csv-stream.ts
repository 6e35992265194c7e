import "server-only";
import { stringify, type Options } from "csv-stringify/sync";

// csv-stringify stops quoting a lone \n or \r once a record delimiter is set: asked for
// explicitly, or a name or message holding one would split its row in two. Cells a spreadsheet
// would run as a formula (=, +, -, @, tab, CR) are prefixed with a quote.
export const csvOptions = (columns: readonly string[]): Options => ({
  columns: [...columns],
  record_delimiter: "windows",
  quote_record_delimiter: true,
  escape_formulas: true,
});

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
export function csvStream<T>(
  batches: AsyncIterator<T[]>,
  options: Options,
  record: (item: T) => string[],
  onEnd?: (outcome: CsvOutcome) => void | Promise<void>,
): ReadableStream<Uint8Array> {
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
            const items = next.done ? [] : next.value;
            if (items.length || header) {
              const text = stringify(items.map(record), { ...options, header });
              header = false;
              rows += items.length;
              controller.enqueue(encoder.encode(text));
            }
            if (next.done) {
              await end(true);
              controller.close();
              return;
            }
            if (items.length) return;
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
