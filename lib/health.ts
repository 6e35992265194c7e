import "server-only";
import { database } from "@/db/client";
import type { Engine } from "@/db/engine";

interface DatabaseHealth {
  status: "ok" | "error";
  engine: Engine;
  migrations?: number;
  latencyMs?: number;
  error?: string;
}

/** Whether the database answers, on which engine, with how many migrations applied. */
export async function databaseHealth(): Promise<DatabaseHealth> {
  const started = performance.now();
  let engine: Engine = "sqlite";
  try {
    const handle = database();
    engine = handle.engine;
    const migrations = await handle.migrationCount();
    return { status: "ok", engine, migrations, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (e) {
    return { status: "error", engine, error: e instanceof Error ? e.message : "unknown database error" };
  }
}
