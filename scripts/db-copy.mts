// `npm run db:copy -- --to <target>`: copies the console's database (the one the configuration
// names: the SQLite file, or PostgreSQL when CONSOLE_DATABASE_URL is set) into an empty target —
// a PostgreSQL URL (postgres://user:password@host:5432/console) or a SQLite file path. Stop the
// console first. Every table is copied in foreign-key order with its ids, PostgreSQL's sequences
// are set past the copied ids, and the copy is checked: row counts and connection statuses equal,
// every stored secret decrypting under the configured keys. See the README, "Choose a database".
import fs from "node:fs";
import path from "node:path";

for (const file of [".env.local", ".env"]) if (fs.existsSync(file)) process.loadEnvFile(file);

const USAGE = "usage: npm run db:copy -- --to <postgres://user:password@host:5432/database | path/to/console.db>";
function fail(message: string, code = 1): never {
  console.error(`[db:copy] ${message}`);
  process.exit(code);
}

const args = process.argv.slice(2);
const at = args.indexOf("--to");
const to = at >= 0 ? args[at + 1] : undefined;
if (!to || to.startsWith("--") || args.length !== 2) fail(`${USAGE}`, 64);

const { parseConfig } = await import("../lib/config");
const cfg = parseConfig(process.env);
const { openConfiguredDatabase } = await import("../db/client");
const { openPostgres, describePostgresUrl } = await import("../db/postgres");
const { openSqlite } = await import("../db/sqlite");
const { copyDatabase, connectionRowsOf, recordCopy, rowCountsOf, storedSecretsOf } = await import("../db/copy");
const { decryptSecret } = await import("../lib/secrets");
const { errorText } = await import("../db/errors");
const { DecryptionError } = await import("../lib/crypto");
const { connectionStatus } = await import("../lib/connection-status");
const { factsOf } = await import("../lib/connections/queries");

const toPostgres = /^postgres(ql)?:\/\//i.test(to);
// A URL of any other form (a typo such as postgresql:/ or postgress://) is not taken for a file
// name: that would make a folder named after it, password included, and put it in the trail.
if (!toPostgres && /^[a-z][a-z0-9+.-]*:/i.test(to)) {
  fail("the target is neither a PostgreSQL URL (postgres://user:password@host:5432/database) nor a file path; check how it is spelt", 64);
}
if (!toPostgres) {
  const file = path.resolve(to);
  if (cfg.databaseFile === file && !cfg.CONSOLE_DATABASE_URL) fail("the target is the console's own database file");
  if (fs.existsSync(file) && fs.statSync(file).size > 0) fail(`${to} already exists: copy into a new file (moving back to SQLite) or an empty PostgreSQL database`);
}
if (toPostgres && cfg.CONSOLE_DATABASE_URL === to) fail("the target is the console's own database");

const source = openConfiguredDatabase({ applicationName: "zoho-oauth-console db:copy" });
const target = toPostgres ? openPostgres(to, { poolMax: 4, applicationName: "zoho-oauth-console db:copy" }) : openSqlite(path.resolve(to));
const label = (h: { engine: string; where: string }) => `${h.engine === "sqlite" ? "SQLite" : "PostgreSQL"} ${h.where}`;
let code = 0;
try {
  console.log(`[db:copy] from ${label(source)}`);
  console.log(`[db:copy] to   ${toPostgres ? `PostgreSQL ${describePostgresUrl(to)}` : label(target)}`);
  await source.migrate();
  try {
    await target.query("select 1");
  } catch (e) {
    throw new Error(`cannot reach the target: ${errorText(e)}`);
  }
  await target.migrate();
  const started = Date.now();
  const { rows } = await copyDatabase(source, target, (table, n) => {
    if (n % 5000 === 0) console.log(`[db:copy]   ${table}: ${n}`);
  });
  console.log(`[db:copy] copied in ${((Date.now() - started) / 1000).toFixed(1)} s: ${Object.entries(rows).map(([t, n]) => `${t} ${n}`).join(", ")}`);

  // The checks: the same rows, the same statuses, every secret still readable.
  const problems: string[] = [];
  const [counts, copiedCounts] = [await rowCountsOf(source), await rowCountsOf(target)];
  for (const [table, n] of Object.entries(counts)) if (copiedCounts[table] !== n) problems.push(`${table}: ${n} rows in the source, ${copiedCounts[table]} in the target`);
  const now = Date.now();
  // Each connection's status, as each engine's rows say it: same id, same status.
  const statuses = async (h: typeof source) => new Map((await connectionRowsOf(h)).map((row) => [row.id, connectionStatus(factsOf(row), now).kind]));
  const [before, after] = [await statuses(source), await statuses(target)];
  const differing = [...before].filter(([id, kind]) => after.get(id) !== kind).map(([id, kind]) => `${id}: ${kind} → ${after.get(id) ?? "missing"}`);
  if (differing.length || after.size !== before.size) problems.push(`connection statuses differ (${differing.slice(0, 5).join("; ") || `${before.size} → ${after.size} connections`})`);
  const tally = new Map<string, number>();
  for (const kind of after.values()) tally.set(kind, (tally.get(kind) ?? 0) + 1);
  const readable = async (h: typeof source) => {
    let ok = 0;
    let unreadable = 0;
    for (const s of await storedSecretsOf(h)) {
      try {
        decryptSecret(s.value, { table: s.table, column: s.column, rowId: s.rowId });
        ok++;
      } catch (e) {
        if (!(e instanceof DecryptionError)) throw e;
        unreadable++;
      }
    }
    return { ok, unreadable };
  };
  const [secretsBefore, secretsAfter] = [await readable(source), await readable(target)];
  if (secretsAfter.ok !== secretsBefore.ok) problems.push(`${secretsBefore.ok} stored secrets decrypt in the source, ${secretsAfter.ok} in the target`);
  console.log(`[db:copy] statuses: ${[...tally].map(([k, n]) => `${k} ${n}`).join(", ") || "no connections"}`);
  console.log(`[db:copy] stored secrets decrypting under the configured keys: ${secretsAfter.ok}${secretsBefore.unreadable ? ` (${secretsBefore.unreadable} unreadable in the source already)` : ""}`);
  if (problems.length) {
    for (const p of problems) console.error(`[db:copy] MISMATCH ${p}`);
    console.error("[db:copy] the copy does not match its source: do not switch to it; the source is unchanged (was the console still running? stop it and copy again into an empty target)");
    code = 2;
  } else {
    const detail = { from: label(source), to: toPostgres ? `PostgreSQL ${describePostgresUrl(to)}` : label(target), rows: copiedCounts, secrets: secretsAfter.ok };
    await recordCopy(source, detail);
    await recordCopy(target, detail);
    console.log(
      toPostgres
        ? "[db:copy] done. Set CONSOLE_DATABASE_URL to the target (in .env.local or the service's environment) and start the console."
        : `[db:copy] done. Remove CONSOLE_DATABASE_URL and set CONSOLE_DATABASE_FILE=${to} to run on the copy.`,
    );
  }
} catch (e) {
  console.error(`[db:copy] ${errorText(e)}`);
  code = 1;
} finally {
  await source.close();
  await target.close();
}
if (code !== 0 && !toPostgres) {
  // A SQLite target made by this run and not completed is not left to be taken for a copy.
  for (const f of ["", "-wal", "-shm"]) fs.rmSync(`${path.resolve(to)}${f}`, { force: true });
}
process.exit(code);
