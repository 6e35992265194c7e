/**
 * Choosing the engine at start: an unreachable PostgreSQL or a URL that is not one ends the
 * process with a message that names where it tried and what to check — never the password — and
 * `npm run db:migrate` applies the migrations of whichever engine is configured.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { onPostgres } from "@/test/engine";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "console-startup-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `npm run db:migrate` as an operator runs it, with this environment instead of the test's. */
function migrate(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("CONSOLE_DATABASE"))) as NodeJS.ProcessEnv;
    const child = spawn("npm", ["run", "-s", "db:migrate"], { env: { ...clean, CONSOLE_DATABASE_FILE: path.join(dir, "console.db"), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.once("exit", (code) => resolve({ code, out }));
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe.skipIf(onPostgres)("choosing the database at start", () => {
  it("names the host and port of an unreachable PostgreSQL and what to check, never the password", async () => {
    const port = await closedPort();
    const run = await migrate({ CONSOLE_DATABASE_URL: `postgres://console:s3cret-Passw0rd@127.0.0.1:${port}/console` });
    expect(run.code).not.toBe(0);
    expect(run.out).toContain(`cannot reach PostgreSQL at 127.0.0.1:${port}/console as console`);
    expect(run.out).toMatch(/Check that the server runs.*sslmode/s);
    expect(run.out).not.toContain("s3cret-Passw0rd");
  }, 30_000);

  it("refuses a URL that is not PostgreSQL's, without echoing it", async () => {
    const run = await migrate({ CONSOLE_DATABASE_URL: "mysql://console:s3cret-Passw0rd@db.internal/console" });
    expect(run.code).not.toBe(0);
    expect(run.out).toContain("CONSOLE_DATABASE_URL must be a PostgreSQL URL");
    expect(run.out).not.toContain("s3cret-Passw0rd");
  }, 30_000);

  it("migrates the SQLite file when no URL is set", async () => {
    const run = await migrate({});
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain(`migrations applied to SQLite ${path.join(dir, "console.db")}`);
    expect(fs.statSync(path.join(dir, "console.db")).mode & 0o777).toBe(0o600);
  }, 30_000);
});

describe.skipIf(!onPostgres)("choosing PostgreSQL at start", () => {
  it("migrates the database CONSOLE_DATABASE_URL names, and again without error", async () => {
    const url = process.env.CONSOLE_DATABASE_URL!;
    const { createTestDatabase } = await import("@/test/postgres/file-database");
    const fresh = await createTestDatabase();
    for (const attempt of [1, 2]) {
      const run = await migrate({ CONSOLE_DATABASE_URL: fresh });
      expect(run.code, `${attempt}: ${run.out}`).toBe(0);
      expect(run.out).toMatch(/migrations applied to PostgreSQL 127\.0\.0\.1:\d+\/t_\w+ as postgres/);
    }
    expect(url).not.toBe(fresh);
  }, 60_000);
});
