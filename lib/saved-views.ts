import "server-only";
import { and, asc, count, eq } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { lockRows } from "@/db/dialect";
import { savedViews, users } from "@/db/schema";
import { UserError } from "@/lib/errors";
import { VIEWS_PER_USER } from "./saved-views-rules";

export interface SavedView {
  id: number;
  name: string;
  href: string;
}

/** A person's saved views, by name: only their own. */
export async function viewsOf(userId: number): Promise<SavedView[]> {
  return getDb().select({ id: savedViews.id, name: savedViews.name, href: savedViews.href }).from(savedViews).where(eq(savedViews.userId, userId)).orderBy(asc(savedViews.name));
}

/** Saves (or, under a name already used, replaces) one of a person's views; `href` is checked (saved-views-rules.ts). */
export async function saveView(userId: number, name: string, href: string): Promise<{ view: SavedView; replaced: boolean }> {
  // The person's row is locked, so two saves of one name cannot both insert.
  return tx(async (db) => {
    await lockRows(db, users, eq(users.id, userId));
    const [same] = await db.select({ id: savedViews.id }).from(savedViews).where(and(eq(savedViews.userId, userId), eq(savedViews.name, name)));
    if (same) {
      await db.update(savedViews).set({ href }).where(eq(savedViews.id, same.id));
      return { view: { id: same.id, name, href }, replaced: true };
    }
    const [{ n }] = await db.select({ n: count() }).from(savedViews).where(eq(savedViews.userId, userId));
    if (n >= VIEWS_PER_USER) throw new UserError(`You have ${VIEWS_PER_USER} saved views, the most there may be: delete one first.`, "name");
    const [row] = await db.insert(savedViews).values({ userId, name, href }).returning({ id: savedViews.id });
    return { view: { id: row.id, name, href }, replaced: false };
  });
}

/** Deletes one of a person's own views; another person's id deletes nothing. */
export async function deleteView(userId: number, id: number): Promise<SavedView | null> {
  const [row] = await getDb()
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.userId, userId)))
    .returning({ id: savedViews.id, name: savedViews.name, href: savedViews.href });
  return row ?? null;
}
