import "server-only";
import { csvOptions, csvStream, type CsvOutcome } from "@/lib/csv-stream";
import { idsAfterQuery } from "./list";
import { dtosByIds, type ConnectionDto, type ListQuery } from "./queries";

/** The export's columns, in order; times are ISO 8601 in UTC. No token, not even its last four. */
export const CONNECTION_CSV_COLUMNS = [
  "id",
  "name",
  "client",
  "client_id",
  "realm",
  "status",
  "status_reason",
  "access_type",
  "zoho_email",
  "zoho_zuid",
  "data_centre",
  "api_domain",
  "services",
  "scopes_granted",
  "organisation",
  "tags",
  "keep_fresh",
  "access_token_expires_utc",
  "last_refresh_utc",
  "last_error",
  "created_utc",
  "revoked_utc",
] as const;

const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());

function csvRecord(c: ConnectionDto): string[] {
  return [
    String(c.id),
    c.name,
    c.client.name,
    String(c.client.id),
    c.client.realm,
    c.status.label,
    c.status.reason,
    c.accessType,
    c.zohoUser.email ?? "",
    c.zohoUser.zuid ?? "",
    c.location,
    c.apiDomain,
    c.services.join(" "),
    c.scopesGranted.join(" "),
    c.organisation ?? "",
    c.tags.join(" "),
    c.keepFresh ? "yes" : "no",
    c.facts.revokedAt ? "" : iso(c.facts.accessTokenExpiresAt),
    iso(c.lastRefreshAt),
    c.lastError ? `${c.lastError.kind}: ${c.lastError.message}` : "",
    iso(c.createdAt),
    iso(c.facts.revokedAt),
  ];
}

/** Rows per export batch, one CSV chunk each (see EXPORT_BATCH in lib/audit/query.ts for why small). */
export const CONNECTION_EXPORT_BATCH = 50;

/**
 * Every connection the list's filter matches, by id, one keyset batch per `next()`, read only
 * when the consumer asks; `return()` stops the reading. Status is judged at one instant, `now`.
 */
export function connectionBatches(query: ListQuery, opts: { batch?: number; now?: number } = {}): AsyncIterableIterator<ConnectionDto[]> {
  const size = opts.batch ?? CONNECTION_EXPORT_BATCH;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch must be a positive integer, not ${size}`);
  const now = opts.now ?? Date.now();
  let after = 0;
  let done = false;
  const end = { done: true, value: undefined } as const;
  return {
    async next() {
      if (done) return end;
      const ids = (await idsAfterQuery(query, now, after, size)).map((r) => r.id);
      if (ids.length < size) done = true;
      if (!ids.length) return end;
      after = ids[ids.length - 1];
      return { done: false, value: await dtosByIds(ids, now) };
    },
    async return() {
      done = true;
      return end;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export function connectionsCsvStream(batches: AsyncIterator<ConnectionDto[]>, onEnd?: (outcome: CsvOutcome) => void | Promise<void>): ReadableStream<Uint8Array> {
  return csvStream(batches, csvOptions(CONNECTION_CSV_COLUMNS), csvRecord, onEnd);
}

export const connectionsCsvFilename = (now: Date) => `connections-${now.toISOString().slice(0, 10)}.csv`;
