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
const { DecryptionError } = await import("../lib/crypto");
const { connectionStatus } = await import("../lib/connection-status");
const { factsOf } = await import("../lib/connections/queries");

const toPostgres = /^postgres(ql)?:\/\//.test(to);
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
    throw new Error(`cannot reach the target: ${e instanceof Error ? e.message : String(e)}`);
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
  const statuses = async (h: typeof source) => {
    const out: Record<string, number> = {};
    for (const row of await connectionRowsOf(h)) {
      const kind = connectionStatus(factsOf(row), now).kind;
      out[kind] = (out[kind] ?? 0) + 1;
    }
    return out;
  };
  const [before, after] = [await statuses(source), await statuses(target)];
  if (JSON.stringify(before) !== JSON.stringify(after)) problems.push(`connection statuses differ: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
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
  console.log(`[db:copy] statuses: ${Object.entries(after).map(([k, n]) => `${k} ${n}`).join(", ") || "no connections"}`);
  console.log(`[db:copy] stored secrets decrypting under the configured keys: ${secretsAfter.ok}${secretsBefore.unreadable ? ` (${secretsBefore.unreadable} unreadable in the source already)` : ""}`);
  if (problems.length) {
    for (const p of problems) console.error(`[db:copy] MISMATCH ${p}`);
    console.error("[db:copy] the copy does not match its source: do not switch to it; the source is unchanged");
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
  console.error(`[db:copy] ${e instanceof Error ? e.message : String(e)}`);
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
