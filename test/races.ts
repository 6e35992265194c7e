/**
 * Two writers at once, on either engine: a transaction held open mid-way, and a wait until a
 * racing call cannot go on without it.
 */
import { getDb, tx } from "@/db/client";
import { rawQuery } from "./db-kit";
import { onPostgres } from "./engine";

/**
 * Resolves once `racer` cannot go on without the held transaction: on PostgreSQL when a session
 * of this database waits for a lock (or `racer` settled without waiting for one); on SQLite, where
 * every query waits for the open transaction, after 300 ms.
 */
export async function whenBlocked(racer: Promise<unknown>) {
  let settled = false;
  void racer.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + (onPostgres ? 10_000 : 300);
  while (!settled && Date.now() < deadline) {
    if (onPostgres) {
      const [{ n }] = await rawQuery<{ n: number }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if (n > 0) return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A transaction that ran `body` and stays open until `release()`: another writer's, mid-way. */
export async function heldTransaction(body: (db: ReturnType<typeof getDb>) => Promise<unknown>) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const inside = new Promise<void>((r) => (entered = r));
  const done = tx(async (db) => {
    await body(db);
    entered();
    await gate;
  });
  await inside;
  return { release, done };
}
