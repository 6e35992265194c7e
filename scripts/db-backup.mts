// `npm run db:backup`: an online backup of the console's database, safe while the console runs.
// `npm run db:backup -- --dir <folder>` writes it elsewhere (default: backups/ beside the database
// file). SQLite: a copy of the database file; PostgreSQL (CONSOLE_DATABASE_URL): a pg_dump in its
// custom format, restored with pg_restore (README, "Back up and restore").
import fs from "node:fs";
import path from "node:path";

// Same files `next start` reads, so the script finds the database the console uses.
for (const file of [".env.local", ".env"]) if (fs.existsSync(file)) process.loadEnvFile(file);

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (!value || value.startsWith("--")) {
    console.error(`[db:backup] ${name} needs a folder, e.g. ${name} /var/backups/zoho-console`);
    process.exit(1);
  }
  return value;
}

const unknown = process.argv.slice(2).filter((a, i, all) => a.startsWith("--") && a !== "--dir" && all[i - 1] !== "--dir");
if (unknown.length) {
  console.error(`[db:backup] unknown option ${unknown.join(" ")}; the only option is --dir <folder>`);
  process.exit(1);
}

const { parseConfig } = await import("../lib/config");
const { openConfiguredDatabase } = await import("../db/client");
const { backupDatabase } = await import("../db/backup");
const { errorText } = await import("../db/errors");
const { auditEvents } = await import("../db/schema");
const { auditSearchText } = await import("../lib/audit/search-text");

const cfg = parseConfig(process.env);
if (!cfg.CONSOLE_DATABASE_URL && !fs.existsSync(cfg.databaseFile)) {
  console.error(`[db:backup] no database at ${cfg.databaseFile} (CONSOLE_DATABASE_FILE): nothing to back up`);
  process.exit(1);
}
const dir = option("--dir") ?? path.join(cfg.dataDir, "backups");
const shown = (p: string) => (path.relative(process.cwd(), p).startsWith("..") ? p : path.relative(process.cwd(), p));

// Its own connection, without migrating: a backup must not change the database it copies.
const handle = openConfiguredDatabase({ applicationName: "zoho-oauth-console db:backup" });
let exitCode = 0;
try {
  const report = await backupDatabase(handle, { dir, url: cfg.CONSOLE_DATABASE_URL });
  const kib = (report.bytes / 1024).toFixed(1);
  console.log(`[db:backup] ${shown(report.file)}`);
  console.log(`[db:backup] ${handle.engine === "sqlite" ? "SQLite" : "PostgreSQL"} ${handle.where}: ${kib} KiB, mode 0600, integrity ${report.integrity}`);
  console.log(`[db:backup] rows: ${Object.entries(report.rows).map(([t, n]) => `${t} ${n}`).join(", ")}`);
  if (report.integrity !== "ok") {
    console.error(`[db:backup] the copy failed its integrity check (${report.integrity}); it is kept aside as ${shown(report.file)}, not as a backup. Keep the database as it is and investigate.`);
    exitCode = 2;
  } else {
    const detail = { file: path.basename(report.file), bytes: report.bytes };
    // The same row lib/audit's recordAudit writes; made here on this connection for the reason above.
    await handle.db
      .insert(auditEvents)
      .values({ at: new Date(), actorType: "system", actorLabel: "system", action: "database.backup", outcome: "success", detail, searchText: auditSearchText({ action: "database.backup", outcome: "success", actorLabel: "system", detail }) });
    console.log("[db:backup] restoring needs this file and the ENCRYPTION_KEY (and ENCRYPTION_KEYS_PREVIOUS) in use when it was made");
  }
} catch (e) {
  console.error(`[db:backup] ${errorText(e)}`);
  exitCode = 1;
} finally {
  await handle.close();
}
process.exit(exitCode);
