/**
 * The README's operational steps, run exactly as written (test/readme-runner.ts) in a copy of the
 * project whose database holds a real console database — users, the sandbox clients and
 * connections with encrypted tokens — on the engine under test: `.data/console.db`, or on the
 * PostgreSQL pass a database of its own that the copy's `.env.local` names in
 * CONSOLE_DATABASE_URL. Each section must run without error and leave a database that passes its
 * integrity check and whose every secret decrypts with the keys `.env.local` then holds; a section
 * may check more.
 *
 * Adding a section is one line in SECTIONS: its heading, and `{}` or its own set-up and checks.
 * The seeded database has one admin, admin@console.test.
 */
import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { verify as verifyArgon2 } from "@node-rs/argon2";
import { afterAll, describe, expect, it } from "vitest";
import { onPostgres } from "@/test/engine";
import { startSandboxHarness } from "@/test/sandbox-harness";
import { makeProject, readmeSection, readReadme, runSection, type Project, type RunResult, type Section } from "@/test/readme-runner";
import { execSql, expectSecretsDecrypt, integrityOf, printedRowCounts, queryRows, rowCountsOf, scalar, type DbRef } from "@/test/stored-secrets";

/** A project copy and the database its commands work on. */
type Copy = Project & { db: DbRef };

interface Scenario {
  /** Set-up the section's commands expect beyond the seeded database (users, files). */
  prepare?: (p: Copy) => Promise<void>;
  /** Extra checks after the section ran; `before` is `.env.local` as it was. */
  verify?: (p: Copy, run: RunResult, before: Record<string, string>) => void | Promise<void>;
}

const envOf = (p: Project) => parseEnv(fs.readFileSync(p.envFile, "utf8")) as Record<string, string>;
const count = async (db: DbRef, sql: string) => Number(await scalar(db, sql));

const backupAndRestore: Scenario = {
  async verify(p, run) {
    const backups = fs.readdirSync(path.join(p.dir, ".data", "backups"));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(onPostgres ? /\.dump$/ : /\.db$/);
    const backup = path.join(p.dir, ".data", "backups", backups[0]);
    expect(fs.statSync(backup).mode & 0o777).toBe(0o600);
    // The backup is what is now in place.
    expect(await rowCountsOf(p.db)).toEqual(printedRowCounts(run.stdout));
    // The backup's own audit row was written after the snapshot: not in what was restored.
    expect(await count(p.db, "select count(*) from audit_events where action = 'database.backup'")).toBe(0);
    expect(await count(p.db, "select count(*) from connections")).toBe(2);
    if (!onPostgres) {
      // The database it replaced was set aside whole, with that row.
      expect(fs.statSync(p.dbFile).mode & 0o777).toBe(0o600);
      const replaced: DbRef = { file: path.join(p.dir, ".data", "replaced", "console.db") };
      expect(await count(replaced, "select count(*) from audit_events where action = 'database.backup'")).toBe(1);
    }
  },
};

const rotateKey: Scenario = {
  async verify(p, _run, before) {
    const after = envOf(p);
    expect(after.ENCRYPTION_KEY).toBeTruthy();
    expect(after.ENCRYPTION_KEY).not.toBe(before.ENCRYPTION_KEY);
    expect(after.AUTH_SECRET).toBe(before.AUTH_SECRET);
    // Every secret is under the new key alone, so the old one can go.
    const newId = after.ENCRYPTION_KEY.split(":")[0];
    await expectSecretsDecrypt(p.db, after.ENCRYPTION_KEY, undefined, { onlyUnder: newId });
    expect(await count(p.db, "select count(*) from audit_events where action = 'secrets.rekey'")).toBeGreaterThanOrEqual(1);
  },
};

const RECOVERED = "admin@example.com";
const restoreAccess: Scenario = {
  // The situation the section is for: the admin is disabled, demoted, and both their account and
  // an address are held by the sign-in guards.
  async prepare(p) {
    const now = Date.now();
    await execSql(p.db, "insert into users (email, name, password_hash, role, disabled_at, session_version, created_at) values (?, 'Locked Admin', 'not-a-hash', 'viewer', ?, 3, ?)", [RECOVERED, now, now]);
    const throttle = "insert into login_throttle (key, failures, window_started_at, locked_until) values (?, ?, ?, ?)";
    await execSql(p.db, throttle, [`email:${RECOVERED}`, 9, now, now + 30_000]);
    await execSql(p.db, throttle, ["ip:203.0.113.9", 40, now, now + 15 * 60_000]);
  },
  async verify(p, run) {
    const [u] = await queryRows<{ role: string; disabled: number | null; version: number; hash: string }>(
      p.db,
      "select role, disabled_at as disabled, session_version as version, password_hash as hash from users where email = ?",
      [RECOVERED],
    );
    expect(u).toMatchObject({ role: "admin", disabled: null });
    expect(u.version).toBeGreaterThan(3);
    // The last block pipes in a password of its own: that is the one that now signs in.
    expect(await verifyArgon2(u.hash, "a-new-long-password")).toBe(true);
    expect(await count(p.db, `select count(*) from login_throttle where locked_until > ${Date.now()}`)).toBe(0);
    expect(await count(p.db, "select count(*) from audit_events where action = 'user.recover'")).toBe(2);
    // The first block printed a random password once; it is not in the audit trail.
    // The password may begin or end with "-" or "_", so read it from its own line, not by word boundaries.
    const printed = /new password \(shown once[^)]*\): ([A-Za-z0-9_-]{24})$/m.exec(run.stdout)?.[1];
    expect(printed, run.stdout).toBeTruthy();
    expect(await count(p.db, `select count(*) from audit_events where detail like '%${printed}%'`)).toBe(0);
  },
};

const SECTIONS: [title: string, scenario: Scenario][] = [
  ["Back up and restore", backupAndRestore],
  ["Rotate the encryption key", rotateKey],
  ["Locked out? Restore access", restoreAccess],
];

/**
 * A section as the engine under test runs it: "Back up and restore" holds a restore for each
 * engine under its own heading; the other engine's is left out.
 */
function sectionFor(markdown: string, title: string): Section | undefined {
  const section = readmeSection(markdown, title);
  if (!section || title !== "Back up and restore") return section;
  const mine = readmeSection(markdown, onPostgres ? "Restore on PostgreSQL" : "Restore on SQLite");
  const theirs = readmeSection(markdown, onPostgres ? "Restore on SQLite" : "Restore on PostgreSQL");
  expect(mine?.blocks.length, "a restore for this engine").toBeGreaterThan(0);
  expect(theirs?.blocks.length, "a restore for the other engine").toBeGreaterThan(0);
  return { title, blocks: section.blocks.filter((b) => !theirs!.blocks.includes(b)) };
}

// A real console database to copy into each project: made through the console's own code.
const h = await startSandboxHarness();
await h.connect();
await h.connect({ email: "eva@zylker.eu" });
const { database } = await import("@/db/client");
const keys = { ENCRYPTION_KEY: process.env.ENCRYPTION_KEY!, AUTH_SECRET: process.env.AUTH_SECRET! };
const projects: Project[] = [];
afterAll(async () => {
  for (const p of projects) p.cleanup();
  await h.close();
});

async function projectWithData(): Promise<Copy> {
  if (!onPostgres) {
    const p = makeProject(keys);
    projects.push(p);
    const { sqlite } = database() as import("@/db/sqlite").SqliteHandle;
    sqlite.prepare("VACUUM INTO ?").run(p.dbFile);
    fs.chmodSync(p.dbFile, 0o600);
    return { ...p, db: { file: p.dbFile } };
  }
  // A database of its own, copied from the console's through the console's copy (db/copy.ts).
  const { createTestDatabase } = await import("@/test/postgres/file-database");
  const { openPostgres } = await import("@/db/postgres");
  const { copyDatabase } = await import("@/db/copy");
  const url = await createTestDatabase({ empty: true });
  const target = openPostgres(url, { poolMax: 2 });
  try {
    await target.migrate();
    await copyDatabase(database(), target);
  } finally {
    await target.close();
  }
  const p = makeProject({ ...keys, CONSOLE_DATABASE_URL: url });
  projects.push(p);
  return { ...p, db: { url } };
}

describe("README steps, run as written", () => {
  it.each(SECTIONS)("%s", async (title, scenario) => {
    const section = sectionFor(readReadme(), title);
    expect(section, `README section "${title}"`).toBeDefined();
    expect(section!.blocks.length, `shell blocks in "${title}"`).toBeGreaterThan(0);
    const p = await projectWithData();
    await scenario.prepare?.(p);
    const before = envOf(p);
    const secrets = await expectSecretsDecrypt(p.db, before.ENCRYPTION_KEY);

    const run = runSection(section!, p);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);

    expect(await integrityOf(p.db)).toBe("ok");
    const after = envOf(p);
    expect(await expectSecretsDecrypt(p.db, after.ENCRYPTION_KEY, after.ENCRYPTION_KEYS_PREVIOUS)).toBe(secrets);
    await scenario.verify?.(p, run, before);
  }, 120_000);

  it("finds a section's shell blocks and nothing of the next section", () => {
    const md = "# T\n## A\ntext\n```bash\necho one\n```\n```json\n{}\n```\n### A.1\n```sh\necho two\n```\n## B\n```bash\necho three\n```\n";
    expect(readmeSection(md, "A")).toEqual({ title: "A", blocks: ["echo one", "echo two"] });
    expect(readmeSection(md, "B")?.blocks).toEqual(["echo three"]);
    expect(readmeSection(md, "C")).toBeUndefined();
  });
});
