/**
 * Shared checks of the fault suite: what a person would see about a connection (its status from
 * the SQL expression the list uses and from the function the browser runs, which must agree),
 * what the audit trail says about it, and a console process of its own (a child running
 * `worker.ts` on the same database: the test's SQLite file, or on the PostgreSQL pass the test
 * file's own database, whose CONSOLE_DATABASE_URL the child inherits) that a test can kill.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect } from "vitest";

type Modules = {
  engine: typeof import("@/lib/tokens/engine");
  status: typeof import("@/lib/connection-status");
  statusSql: typeof import("@/lib/connections/status-sql");
  queries: typeof import("@/lib/connections/queries");
  schema: typeof import("@/db/schema");
  drizzle: typeof import("drizzle-orm");
  dbm: typeof import("@/db/client");
};

/** Imported after the harness has set the environment (the configuration is read once). */
export async function importFaultModules(): Promise<Modules> {
  return {
    engine: await import("@/lib/tokens/engine"),
    status: await import("@/lib/connection-status"),
    statusSql: await import("@/lib/connections/status-sql"),
    queries: await import("@/lib/connections/queries"),
    schema: await import("@/db/schema"),
    drizzle: await import("drizzle-orm"),
    dbm: await import("@/db/client"),
  };
}

export function faultChecks(m: Modules) {
  const { status, statusSql, queries, schema, drizzle, dbm } = m;
  const row = async (id: number) => (await queries.loadConnection(id))!;

  /** The status a person sees; fails when the list's SQL and the page's function disagree. */
  async function statusOf(id: number, now = Date.now()) {
    const shown = status.connectionStatus(queries.factsOf(await row(id)), now);
    const c = schema.connections;
    const [listed] = await dbm
      .getDb()
      .select({ kind: statusSql.statusSql(now) })
      .from(c)
      .where(drizzle.eq(c.id, id));
    expect(listed?.kind, "status in the list (SQL) vs on the page").toBe(shown.kind);
    return shown;
  }

  /** The audit trail about one connection, oldest first. */
  async function auditOf(id: number) {
    const a = schema.auditEvents;
    const events = await dbm
      .getDb()
      .select({ action: a.action, outcome: a.outcome, detail: a.detail, actorType: a.actorType, at: a.at })
      .from(a)
      .where(drizzle.and(drizzle.eq(a.targetType, "connection"), drizzle.eq(a.targetId, String(id))))
      .orderBy(a.id);
    return events.map((e) => ({ ...e, detail: (e.detail ?? {}) as Record<string, unknown> }));
  }

  /** The stored tokens as they are at rest; a failed refresh must leave them exactly so. */
  async function storedTokens(id: number) {
    const r = await row(id);
    return { access: r.accessTokenEnc, refresh: r.refreshTokenEnc, expiresAt: r.accessTokenExpiresAt?.getTime() };
  }

  /** No Zoho token (they all start "1000.") in anything the audit trail holds. */
  async function expectNoSecretsInAudit(id: number) {
    expect(JSON.stringify(await auditOf(id))).not.toMatch(/1000\.[0-9a-f]{8}/);
  }

  return { row, statusOf, auditOf, storedTokens, expectNoSecretsInAudit };
}

export interface Worker {
  child: ChildProcess;
  /** Every line the worker printed to stdout, parsed as JSON. */
  lines: unknown[];
  stderr: () => string;
  exited: Promise<number | null>;
}

const WORKER = path.join(process.cwd(), "test", "faults", "worker.ts");

/**
 * Starts another console process on the same database and sandbox (the environment the harness
 * set, plus `env`), running one job of `worker.ts`. The environment carries the database: the
 * SQLite file (CONSOLE_DATABASE_FILE) or, on the PostgreSQL pass, CONSOLE_DATABASE_URL.
 */
export function startWorker(job: Record<string, unknown>, env: Record<string, string> = {}): Worker {
  // Node itself with tsx as a loader (not the tsx launcher, which runs a second process): the
  // pid is the console's own, so a kill ends the refresh and the lease names this process.
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", WORKER, JSON.stringify(job)], {
    env: { ...process.env, CONSOLE_REFRESHER: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: unknown[] = [];
  let out = "";
  let err = "";
  child.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
    for (let nl = out.indexOf("\n"); nl >= 0; nl = out.indexOf("\n")) {
      const line = out.slice(0, nl).trim();
      out = out.slice(nl + 1);
      // The job's reports and the console's JSON log lines; a plain line (a start-up notice) is skipped.
      if (line.startsWith("{")) lines.push(JSON.parse(line));
    }
  });
  child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, lines, stderr: () => err, exited };
}

/** Polls `probe` until it returns something truthy, or fails after `ms`. */
export async function waitFor<T>(probe: () => T | Promise<T>, ms: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

