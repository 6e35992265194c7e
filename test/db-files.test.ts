import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqlite } from "@/db/sqlite";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "console-files-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);

// SQLite's files only: a PostgreSQL server keeps its own files (the backup file's mode is checked
// on both engines in test/backup.test.ts).
describe("the SQLite database files", () => {
  it("are readable by the console's user only: folder 0700, database, WAL and SHM 0600", () => {
    const file = path.join(root, "data", "console.db");
    const { sqlite } = openSqlite(file);
    sqlite.exec("create table t (x integer); insert into t values (1);");
    expect(mode(path.dirname(file))).toBe("700");
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe("600");
    sqlite.close();
  });

  it("tightens an existing world-readable database at start", () => {
    const file = path.join(root, "old.db");
    fs.writeFileSync(file, "", { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const { sqlite } = openSqlite(file);
    expect(mode(file)).toBe("600");
    sqlite.close();
  });
});
