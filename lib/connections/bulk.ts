import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections, zohoClients } from "@/db/schema";
import { recordAudit, type UserActor } from "@/lib/audit";
import { UserError } from "@/lib/errors";
import { errorText, log } from "@/lib/log";
import { isTokenError } from "@/lib/tokens/errors";
import { BULK_LABELS, BULK_MAX, CALLS_ZOHO, THROTTLE_STOP, type BulkOperation, type BulkResult } from "./bulk-rules";
import { listCountQuery, matchingIdsQuery } from "./list";
import { keepFreshOne, refreshOne, revokeOne, verifyOne } from "./operations";
import { takeZohoSlot } from "./pacing";
import { parseListQuery } from "./queries";
import { changeTags } from "./tags";

export interface BulkTarget {
  id: number;
  name: string;
  client: string;
}

export interface BulkPreview {
  targets: BulkTarget[];
  /** Clients of the selection with how many connections each, most first: what the confirmation names. */
  clients: { name: string; count: number }[];
}

async function targetsByIds(ids: number[]): Promise<BulkTarget[]> {
  if (ids.length === 0) return [];
  return getDb()
    .select({ id: connections.id, name: connections.name, client: zohoClients.name })
    .from(connections)
    .innerJoin(zohoClients, eq(zohoClients.id, connections.clientRef))
    .where(inArray(connections.id, ids))
    .orderBy(asc(connections.id));
}

/**
 * The connections a bulk action would act on: the chosen ids, or every match of the list's
 * filter (its query string), read in SQL. More than BULK_MAX is refused rather than cut short.
 */
export async function bulkPreview(selection: { ids: number[] } | { filter: string }, now = Date.now()): Promise<BulkPreview> {
  let ids: number[];
  if ("ids" in selection) {
    if (selection.ids.length > BULK_MAX) throw new UserError(`At most ${BULK_MAX} connections at once: select fewer.`);
    ids = selection.ids;
  } else {
    const query = parseListQuery(new URLSearchParams(selection.filter));
    const [counted] = await listCountQuery(query, now);
    const total = counted?.n ?? 0;
    if (total > BULK_MAX) throw new UserError(`${total} connections match this filter; a bulk action takes at most ${BULK_MAX}. Narrow the filter (a tag, a client, a status) first.`);
    ids = (await matchingIdsQuery(query, now, BULK_MAX)).map((r) => r.id);
  }
  const targets = await targetsByIds(ids);
  if (targets.length === 0) throw new UserError("None of the selected connections exists any more.");
  const counts = new Map<string, number>();
  for (const t of targets) counts.set(t.client, (counts.get(t.client) ?? 0) + 1);
  const clients = [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return { targets, clients };
}

/** The bulk event: who asked for what on how many connections of which clients (each then gets its own event). */
export async function recordBulk(
  operation: BulkOperation,
  preview: BulkPreview,
  actor: UserActor,
  opts: { ip: string | null; filter?: string; tag?: string },
): Promise<void> {
  await recordAudit({
    actor,
    action: "connection.bulk",
    detail: {
      operation: BULK_LABELS[operation],
      ...(opts.tag ? { tag: opts.tag } : {}),
      count: preview.targets.length,
      clients: preview.clients.map((c) => `${c.name} (${c.count})`),
      ...(opts.filter !== undefined ? { filter: opts.filter || "all connections" } : {}),
      connections: preview.targets.map((t) => t.id),
    },
    ip: opts.ip,
  });
}

async function runOne(operation: BulkOperation, id: number, actor: UserActor, ip: string | null, tag: string | undefined): Promise<string> {
  switch (operation) {
    case "refresh":
      return (await refreshOne(id, actor, ip)).message;
    case "verify":
      return (await verifyOne(id, actor, ip)).message;
    case "revoke":
      return (await revokeOne(id, actor)).message;
    case "keep_fresh_on":
    case "keep_fresh_off":
      return (await keepFreshOne(id, operation === "keep_fresh_on", actor, ip)).message;
    case "tag_add":
    case "tag_remove": {
      const r = await changeTags(id, operation === "tag_add" ? { add: [tag!] } : { remove: [tag!] }, actor, { ip, bulk: true });
      if (operation === "tag_add") return r.added.length ? `Tagged ${tag}.` : `Already tagged ${tag}.`;
      return r.removed.length ? `Removed ${tag}.` : `Did not carry ${tag}.`;
    }
  }
}

/**
 * Runs one bulk operation over `ids`, one connection after the other, through the same functions
 * as the connection page (so each connection gets its own audit event). A failure is that
 * connection's result and the run goes on; calls to Zoho wait their turn at the connection's
 * accounts server (pacing.ts), and once Zoho answers with its throttle the rest of the run makes
 * no further call to Zoho.
 */
export async function runBulk(
  operation: BulkOperation,
  ids: number[],
  actor: UserActor,
  opts: { ip?: string | null; tag?: string } = {},
): Promise<BulkResult[]> {
  const rows = new Map(
    (ids.length
      ? await getDb().select({ id: connections.id, name: connections.name, accountsServer: connections.accountsServer }).from(connections).where(inArray(connections.id, ids))
      : []
    ).map((r) => [r.id, r]),
  );
  const zoho = CALLS_ZOHO.has(operation);
  const out: BulkResult[] = [];
  let throttled = false;
  for (const id of ids) {
    const row = rows.get(id);
    if (!row) {
      out.push({ id, name: `#${id}`, ok: false, message: "This connection no longer exists." });
      continue;
    }
    if (zoho && throttled) {
      out.push({ id, name: row.name, ok: false, skipped: true, message: THROTTLE_STOP });
      continue;
    }
    try {
      if (zoho) await takeZohoSlot(row.accountsServer);
      out.push({ id, name: row.name, ok: true, message: await runOne(operation, id, actor, opts.ip ?? null, opts.tag) });
    } catch (e) {
      if (isTokenError(e)) {
        throttled ||= e.zohoKind === "throttled";
        out.push({ id, name: row.name, ok: false, message: e.advice ? `${e.message} ${e.advice}` : e.message, ...(e.zohoKind === "throttled" ? { throttled: true } : {}) });
      } else if (e instanceof UserError) {
        out.push({ id, name: row.name, ok: false, message: e.message });
      } else {
        // A bug or an outage for this one connection: logged, shown as its result, and the others still run.
        log("bulk").error({ operation, connectionId: id, error: errorText(e) }, "bulk step failed");
        out.push({ id, name: row.name, ok: false, message: "An unexpected error stopped this one; the server log has the details." });
      }
    }
  }
  return out;
}
