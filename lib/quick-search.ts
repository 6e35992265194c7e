import "server-only";
import { asc, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { containsPattern, likeCaseless } from "@/db/dialect";
import { connections, zohoClients } from "@/db/schema";
import { tagsMatching } from "@/lib/connections/tags";
import { searchWords } from "@/lib/search-words";

export interface QuickHit {
  kind: "connection" | "client" | "tag";
  id: number;
  label: string;
  hint: string;
  href: string;
}

/** At most this many hits of each kind; the jump dialog is a shortcut, not a list page. */
export const QUICK_LIMIT = 8;
const MAX_QUERY = 100;

/** Every word must appear in one of the columns. */
function everyWord(words: string[], columns: Array<SQL | AnyColumn>): SQL {
  const clauses = words.map((w) => {
    const p = containsPattern(w);
    return sql`(${sql.join(
      columns.map((col) => likeCaseless(col, p)),
      sql` or `,
    )})`;
  });
  return sql.join(clauses, sql` and `);
}

/**
 * Connections (by name, Zoho user or client) and clients (by name or client id) matching every
 * word of `q`, names first alphabetically; bounded so a keystroke never scans into a big answer.
 */
export async function quickSearch(q: string): Promise<QuickHit[]> {
  const words = searchWords(q.trim(), MAX_QUERY, 6);
  if (words.length === 0) return [];
  const db = getDb();
  const c = connections;
  const conns = await db
    .select({ id: c.id, name: c.name, email: c.zohoEmail, client: zohoClients.name })
    .from(c)
    .innerJoin(zohoClients, sql`${zohoClients.id} = ${c.clientRef}`)
    .where(everyWord(words, [c.name, c.zohoEmail, c.zohoName, zohoClients.name]))
    .orderBy(asc(c.name), asc(c.id))
    .limit(QUICK_LIMIT);
  const clients = await db
    .select({ id: zohoClients.id, name: zohoClients.name, clientId: zohoClients.clientId })
    .from(zohoClients)
    .where(everyWord(words, [zohoClients.name, zohoClients.clientId]))
    .orderBy(asc(zohoClients.name))
    .limit(QUICK_LIMIT);
  // A single word may name a tag ("env:prod", or "acme" for customer:acme): it opens the list filtered by it.
  const tags = words.length === 1 ? await tagsMatching(words[0], QUICK_LIMIT) : [];
  return [
    ...tags.map((r) => ({
      kind: "tag" as const,
      id: 0,
      label: r.tag,
      hint: r.count === 1 ? "1 connection" : `${r.count} connections`,
      href: `/connections?tag=${encodeURIComponent(r.tag)}`,
    })),
    ...conns.map((r) => ({
      kind: "connection" as const,
      id: r.id,
      label: r.name,
      hint: [r.email, r.client].filter(Boolean).join(" · "),
      href: `/connections/${r.id}`,
    })),
    ...clients.map((r) => ({ kind: "client" as const, id: r.id, label: r.name, hint: r.clientId, href: `/clients/${r.id}` })),
  ];
}
