/**
 * The README's operational steps, run exactly as written (test/readme-runner.ts) in a copy of the
 * project whose `.data/console.db` holds a real console database: users, the sandbox clients and
 * connections with encrypted tokens. Each section must run without error and leave a database
 * that passes its integrity check and whose every secret decrypts with the keys `.env.local`
 * then holds; a section may check more.
 *
 * Adding a section is one line in SECTIONS: its heading, and `{}` or its own set-up and checks.
 * The seeded database has one admin, admin@console.test.
 */
import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import Database from "better-sqlite3";
import { verify as verifyArgon2 } from "@node-rs/argon2";
import { afterAll, describe, expect, it } from "vitest";
import { startSandboxHarness } from "@/test/sandbox-harness";
import { makeProject, readmeSection, readReadme, runSection, type Project, type RunResult } from "@/test/readme-runner";
import { expectSecretsDecrypt, integrityOf, printedRowCounts, rowCountsOf } from "@/test/stored-secrets";

interface Scenario {
  /** Set-up the section's commands expect beyond the seeded database (users, files). */
  prepare?: (p: Project) => void;
  /** Extra checks after the section ran; `before` is `.env.local` as it was. */
  verify?: (p: Project, run: RunResult, before: Record<string, string>) => void | Promise<void>;
}

const envOf = (p: Project) => parseEnv(fs.readFileSync(p.envFile, "utf8")) as Record<string, string>;
const query = <T>(file: string, sql: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as T;
  } finally {
    db.close();
  }
};

const backupAndRestore: Scenario = {
  verify(p, run) {
    const backups = fs.readdirSync(path.join(p.dir, ".data", "backups"));
    expect(backups).toHaveLength(1);
    const backup = path.join(p.dir, ".data", "backups", backups[0]);
    expect(fs.statSync(backup).mode & 0o777).toBe(0o600);
    // The backup is what is now in place; the database it replaced was set aside whole.
    expect(rowCountsOf(p.dbFile)).toEqual(printedRowCounts(run.stdout));
    expect(fs.statSync(p.dbFile).mode & 0o777).toBe(0o600);
    const replaced = path.join(p.dir, ".data", "replaced", "console.db");
    expect(fs.existsSync(replaced)).toBe(true);
    // The backup's own audit row was written after the snapshot: in the replaced file only.
    expect(query<number>(replaced, "select count(*) from audit_events where action = 'database.backup'")).toBe(1);
    expect(query<number>(p.dbFile, "select count(*) from audit_events where action = 'database.backup'")).toBe(0);
    expect(query<number>(p.dbFile, "select count(*) from connections")).toBe(2);
  },
};

const rotateKey: Scenario = {
  verify(p, _run, before) {
    const after = envOf(p);
    expect(after.ENCRYPTION_KEY).toBeTruthy();
    expect(after.ENCRYPTION_KEY).not.toBe(before.ENCRYPTION_KEY);
    expect(after.AUTH_SECRET).toBe(before.AUTH_SECRET);
    // Every secret is under the new key alone, so the old one can go.
    const newId = after.ENCRYPTION_KEY.split(":")[0];
    expectSecretsDecrypt(p.dbFile, after.ENCRYPTION_KEY, undefined, { onlyUnder: newId });
    expect(query<number>(p.dbFile, "select count(*) from audit_events where action = 'secrets.rekey'")).toBeGreaterThanOrEqual(1);
  },
};

const RECOVERED = "admin@example.com";
const restoreAccess: Scenario = {
  // The situation the section is for: the admin is disabled, demoted, and both their account and
  // an address are held by the sign-in guards.
  prepare(p) {
    const db = new Database(p.dbFile);
    try {
      const now = Date.now();
      db.prepare("insert into users (email, name, password_hash, role, disabled_at, session_version, created_at) values (?, 'Locked Admin', 'not-a-hash', 'viewer', ?, 3, ?)").run(RECOVERED, now, now);
      const throttle = db.prepare("insert into login_throttle (key, failures, window_started_at, locked_until) values (?, ?, ?, ?)");
      throttle.run(`email:${RECOVERED}`, 9, now, now + 30_000);
      throttle.run("ip:203.0.113.9", 40, now, now + 15 * 60_000);
    } finally {
      db.close();
    }
  },
  async verify(p, run) {
    const user = query<string>(p.dbFile, `select json_object('role', role, 'disabled', disabled_at, 'version', session_version, 'hash', password_hash) from users where email = '${RECOVERED}'`);
    const u = JSON.parse(user) as { role: string; disabled: number | null; version: number; hash: string };
    expect(u).toMatchObject({ role: "admin", disabled: null });
    expect(u.version).toBeGreaterThan(3);
    // The last block pipes in a password of its own: that is the one that now signs in.
    expect(await verifyArgon2(u.hash, "a-new-long-password")).toBe(true);
    expect(query<number>(p.dbFile, "select count(*) from login_throttle where locked_until > unixepoch() * 1000")).toBe(0);
    expect(query<number>(p.dbFile, "select count(*) from audit_events where action = 'user.recover'")).toBe(2);
    // The first block printed a random password once; it is not in the audit trail.
    // The password may begin or end with "-" or "_", so read it from its own line, not by word boundaries.
    const printed = /new password \(shown once[^)]*\): ([A-Za-z0-9_-]{24})$/m.exec(run.stdout)?.[1];
    expect(printed, run.stdout).toBeTruthy();
    expect(query<number>(p.dbFile, `select count(*) from audit_events where detail like '%${printed}%'`)).toBe(0);
  },
};

const SECTIONS: [title: string, scenario: Scenario][] = [
  ["Back up and restore", backupAndRestore],
  ["Rotate the encryption key", rotateKey],
  ["Locked out? Restore access", restoreAccess],
];

// A real console database to copy into each project: made through the console's own code.
const h = await startSandboxHarness();
await h.connect();
await h.connect({ email: "eva@zylker.eu" });
const { sqliteHandle } = await import("@/db/client");
const keys = { ENCRYPTION_KEY: process.env.ENCRYPTION_KEY!, AUTH_SECRET: process.env.AUTH_SECRET! };
const projects: Project[] = [];
afterAll(async () => {
  for (const p of projects) p.cleanup();
  await h.close();
});

function projectWithData(): Project {
  const p = makeProject(keys);
  projects.push(p);
  sqliteHandle().prepare("VACUUM INTO ?").run(p.dbFile);
  fs.chmodSync(p.dbFile, 0o600);
  return p;
}

describe("README steps, run as written", () => {
  it.each(SECTIONS)("%s", async (title, scenario) => {
    const section = readmeSection(readReadme(), title);
    expect(section, `README section "${title}"`).toBeDefined();
    expect(section!.blocks.length, `shell blocks in "${title}"`).toBeGreaterThan(0);
    const p = projectWithData();
    scenario.prepare?.(p);
    const before = envOf(p);
    const secrets = expectSecretsDecrypt(p.dbFile, before.ENCRYPTION_KEY);

    const run = runSection(section!, p);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);

    expect(integrityOf(p.dbFile)).toBe("ok");
    const after = envOf(p);
    expect(expectSecretsDecrypt(p.dbFile, after.ENCRYPTION_KEY, after.ENCRYPTION_KEYS_PREVIOUS)).toBe(secrets);
    await scenario.verify?.(p, run, before);
  }, 120_000);

  it("finds a section's shell blocks and nothing of the next section", () => {
    const md = "# T\n## A\ntext\n```bash\necho one\n```\n```json\n{}\n```\n### A.1\n```sh\necho two\n```\n## B\n```bash\necho three\n```\n";
    expect(readmeSection(md, "A")).toEqual({ title: "A", blocks: ["echo one", "echo two"] });
    expect(readmeSection(md, "B")?.blocks).toEqual(["echo three"]);
    expect(readmeSection(md, "C")).toBeUndefined();
  });
});
