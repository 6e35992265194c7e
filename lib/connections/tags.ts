import "server-only";
import { and, asc, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { containsPattern, likeCaseless, lockRows } from "@/db/dialect";
import { connections, connectionTags as t } from "@/db/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { UserError } from "@/lib/errors";
import { TAGS_PER_CONNECTION } from "./tag-rules";

/** The ids of the connections carrying `tag`, read from `connection_tags_tag`: for `c.id in (…)`. */
export const taggedIds = (tag: string): SQL => sql`select ${t.connectionId} from ${t} where ${t.tag} = ${tag}`;

/** Tags of each connection, sorted, for a page of them (one query). */
export async function tagsOf(ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await getDb().select({ id: t.connectionId, tag: t.tag }).from(t).where(inArray(t.connectionId, ids)).orderBy(asc(t.connectionId), asc(t.tag));
  for (const r of rows) out.get(r.id)?.push(r.tag);
  return out;
}

export async function tagsOfConnection(id: number): Promise<string[]> {
  return (await tagsOf([id])).get(id) ?? [];
}

/** Tags in use with how many connections carry each, alphabetically (bounded: a picker, not a report). */
export async function tagOptions(limit = 200): Promise<{ tag: string; count: number }[]> {
  const n = count();
  return getDb().select({ tag: t.tag, count: n }).from(t).groupBy(t.tag).orderBy(asc(t.tag)).limit(limit);
}

/**
 * Tags containing `word` ("acme" finds customer:acme), for the quick jump. Reads the tag index,
 * not the connections; distinct tags are few however many connections carry them.
 */
export async function tagsMatching(word: string, limit: number): Promise<{ tag: string; count: number }[]> {
  return getDb()
    .select({ tag: t.tag, count: count() })
    .from(t)
    .where(likeCaseless(t.tag, containsPattern(word.toLowerCase())))
    .groupBy(t.tag)
    .orderBy(asc(t.tag))
    .limit(limit);
}

export interface TagChange {
  connectionId: number;
  name: string;
  added: string[];
  removed: string[];
  tags: string[];
}

/**
 * Adds and removes tags of one connection in one transaction, holding the per-connection cap
 * against concurrent changes, and audits what actually changed (nothing changed, nothing audited).
 * Tags must already be normalized and checked (tag-rules.ts).
 */
export async function changeTags(
  connectionId: number,
  change: { add?: string[]; remove?: string[] },
  actor: Actor,
  opts: { ip?: string | null; bulk?: boolean } = {},
): Promise<TagChange> {
  const add = [...new Set(change.add ?? [])];
  const remove = [...new Set(change.remove ?? [])].filter((x) => !add.includes(x));
  const result = await tx(async (db) => {
    await lockRows(db, connections, eq(connections.id, connectionId));
    const [row] = await db.select({ name: connections.name }).from(connections).where(eq(connections.id, connectionId));
    if (!row) throw new UserError("This connection no longer exists.");
    const before = (await db.select({ tag: t.tag }).from(t).where(eq(t.connectionId, connectionId))).map((r) => r.tag);
    const added = add.filter((x) => !before.includes(x));
    const removed = remove.filter((x) => before.includes(x));
    const after = before.filter((x) => !removed.includes(x)).concat(added).sort();
    if (after.length > TAGS_PER_CONNECTION) {
      throw new UserError(`“${row.name}” would carry ${after.length} tags; a connection carries at most ${TAGS_PER_CONNECTION}. Remove some first.`, "tags");
    }
    if (removed.length) await db.delete(t).where(and(eq(t.connectionId, connectionId), inArray(t.tag, removed)));
    if (added.length) await db.insert(t).values(added.map((tag) => ({ connectionId, tag }))).onConflictDoNothing();
    if (added.length || removed.length) {
      await recordAudit(
        {
          actor,
          action: "connection.tag",
          target: { type: "connection", id: connectionId },
          detail: { name: row.name, added, removed, ...(opts.bulk ? { bulk: true } : {}) },
          ip: opts.ip ?? null,
        },
        new Date(),
        db,
      );
    }
    return { connectionId, name: row.name, added, removed, tags: after };
  });
  return result;
}
