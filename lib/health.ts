import "server-only";
import { database } from "@/db/client";
import { errorText, log } from "@/lib/log";
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
    // The health answer is public: the driver's words (hosts, users, database names) go to the log only.
    log("health").error({ engine, error: errorText(e) }, "database check failed");
    return { status: "error", engine, error: "The database does not answer; the console's log says why." };
  }
}
