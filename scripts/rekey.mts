// `npm run rekey`: re-encrypts stored secrets under ENCRYPTION_KEY so old keys can be retired, and
// upgrades values of the unbound v1 form to v2, bound to the row they are stored in.
// `npm run rekey -- --dry-run` only counts.
import fs from "node:fs";

// Same files `next start` reads, so the script sees the keys the console runs with.
for (const file of [".env.local", ".env"]) if (fs.existsSync(file)) process.loadEnvFile(file);
if (!process.env.ENCRYPTION_KEY) {
  console.error("[rekey] ENCRYPTION_KEY is not set (nor in .env.local): nothing to re-encrypt to.");
  process.exit(1);
}
// The console's database, SQLite or PostgreSQL, migrated as the console would at start.
const { errorText } = await import("../db/errors");
await (await import("../db/client")).databaseReady().catch((e: unknown) => {
  console.error(`[rekey] ${errorText(e)}`);
  process.exit(1);
});
const { recordAudit, systemActor } = await import("../lib/audit");
const { rekeySecrets } = await import("../lib/rekey");

const dryRun = process.argv.includes("--dry-run");
const report = await rekeySecrets({ dryRun });
const old = Object.entries(report.underOldKeys).map(([k, n]) => `${n} under "${k}"`).join(", ") || "none";
console.log(`[rekey] active key "${report.activeKey}"; values under older keys: ${old}; in the unbound v1 format: ${report.unbound}`);
if (dryRun) {
  console.log("[rekey] dry run: nothing changed");
} else {
  await recordAudit({ actor: systemActor, action: "secrets.rekey", detail: { ...report } });
  console.log(`[rekey] re-encrypted ${report.reencrypted}; unreadable (key not configured, or not written for the row it is in) ${report.unreadable}`);
  if (report.unreadable === 0) console.log("[rekey] older keys can now be removed from ENCRYPTION_KEYS_PREVIOUS");
}
process.exit(report.unreadable > 0 ? 2 : 0);
