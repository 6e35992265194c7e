import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BENCH_ENCRYPTION_KEY, CONSOLE_URL, SANDBOX_PORT, scenarioDir } from "../config";
import { startSandboxServer, type Server } from "../processes";
import { machine, type Goal, type ScenarioReport, type Table } from "../report";
import { encrypterFor, openBenchDb, type BenchDb } from "../seed";
import type Database from "better-sqlite3";

export const encrypt = encrypterFor(BENCH_ENCRYPTION_KEY);

/** An empty folder for the scenario and a migrated database in it. */
export function freshDatabase(name: string): { dir: string; dbFile: string; db: BenchDb; sqlite: Database.Database } {
  const dir = scenarioDir(name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const dbFile = path.join(dir, "console.db");
  return { dir, dbFile, ...openBenchDb(dbFile) };
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
