import "server-only";
import { asc, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { caseless, containsPattern, likeCaseless } from "@/db/dialect";
import { connections } from "@/db/schema";
import { searchWords } from "@/lib/search-words";

/** One connection a key may be limited to, as the key form's picker lists it. */
export interface ConnectionChoice {
  id: number;
  name: string;
  revoked: boolean;
}

/** How many matches one keystroke brings back: the picker narrows, it never lists the fleet. */
export const CHOICES_LIMIT = 20;
const MAX_QUERY = 100;

/**
 * Connections whose name holds every word of `q` (any case; `%` and `_` are plain text), by name,
 * at most `limit`, and whether more matched. An empty `q` gives the first ones by name. One
 * bounded query per keystroke, so a console of 10,000 connections never sends them all.
 */
export async function searchConnectionChoices(q: string, limit = CHOICES_LIMIT): Promise<{ choices: ConnectionChoice[]; more: boolean }> {
  const words = searchWords(q, MAX_QUERY, 6);
  const c = connections;
  const where = words.length ? sql.join(words.map((w) => likeCaseless(c.name, containsPattern(w))), sql` and `) : undefined;
  const rows = await getDb()
    .select({ id: c.id, name: c.name, revokedAt: c.revokedAt })
    .from(c)
    .where(where)
    .orderBy(asc(caseless(c.name)), asc(c.id))
    .limit(limit + 1);
  return { choices: rows.slice(0, limit).map((r) => ({ id: r.id, name: r.name, revoked: !!r.revokedAt })), more: rows.length > limit };
}
