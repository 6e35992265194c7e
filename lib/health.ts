import "server-only";
import { sqliteHandle } from "@/db/client";

export function databaseHealth(): { status: "ok" | "error"; migrations?: number; latencyMs?: number; error?: string } {
  const started = performance.now();
  try {
    const sqlite = sqliteHandle();
    sqlite.prepare("select 1").get();
    const row = sqlite.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number };
    return { status: "ok", migrations: row.n, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (e) {
    return { status: "error", error: e instanceof Error ? e.message : "unknown database error" };
  }
}
