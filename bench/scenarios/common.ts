import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BENCH_ENCRYPTION_KEY, CONSOLE_URL, SANDBOX_PORT, scenarioDir } from "../config";
import type { DatabaseHandle } from "@/db/handle";
import { freshPostgresDatabase } from "../postgres";
import { startSandboxServer, type Server } from "../processes";
import { machine, type Goal, type ScenarioReport, type Table } from "../report";
import { encrypterFor, openBenchDb, type BenchTarget } from "../seed";

export const encrypt = encrypterFor(BENCH_ENCRYPTION_KEY);

export type Engine = DatabaseHandle["engine"];
export const ENGINE_LABEL: Record<Engine, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };

/** An empty folder for the scenario (sandbox state, SQLite file, profiles). */
export function scenarioFolder(name: string): string {
  const dir = scenarioDir(name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export interface BenchDatabase {
  engine: Engine;
  /** What the console is given: CONSOLE_DATABASE_FILE or CONSOLE_DATABASE_URL. */
  target: BenchTarget;
  /** Open and migrated, for seeding; close it before the measurement. */
  handle: DatabaseHandle;
}

/**
 * A migrated, empty database for the scenario: a SQLite file in `dir`, or a fresh database in the
 * bench's PostgreSQL cluster (started on first use, see bench/postgres.ts).
 */
export async function freshDatabase(dir: string, engine: Engine = "sqlite"): Promise<BenchDatabase> {
  const target: BenchTarget = engine === "sqlite" ? { file: path.join(dir, "console.db") } : { url: await freshPostgresDatabase(path.basename(dir)) };
  return { engine, target, handle: await openBenchDb(target) };
}

export function startSandbox(dir: string, consoleUrl = CONSOLE_URL): Promise<Server> {
  return startSandboxServer({ port: SANDBOX_PORT, stateFile: path.join(dir, "sandbox-state.json"), consoleUrl });
}

/** Collects a scenario's tables, goals and notes; `done` stamps time and machine. */
export class Reporter {
  private readonly started = performance.now();
  private readonly loadAtStart = os.loadavg()[0];
  readonly goals: Goal[] = [];
  readonly tables: Table[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly id: number,
    readonly title: string,
  ) {}

  log(message: string) {
    console.log(`[bench ${this.id}] ${message}`);
  }

  goal(goal: string, measured: string, met: boolean | null) {
    this.goals.push({ goal, measured, met });
  }

  done(): ScenarioReport {
    // Other work on the machine shows here; a load above the core count means a shared CPU.
    const load = `Load average (1 min) at start and end: ${this.loadAtStart.toFixed(1)} / ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores.`;
    return {
      id: this.id,
      title: this.title,
      ranAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      machine: machine(),
      seconds: (performance.now() - this.started) / 1000,
      goals: this.goals,
      tables: this.tables,
      notes: [...this.notes, load],
    };
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
