import "server-only";
import { errorText, log } from "@/lib/log";
import { database, databaseReady } from "@/db/client";
import { recordAudit, systemActor } from "@/lib/audit";
import { config } from "@/lib/config";
import { instanceId, registerInstance, startHeartbeat } from "@/lib/instances";
import { rekeySecrets } from "@/lib/rekey";
import { authSecret, keyRing } from "@/lib/secrets";
import { startPruner } from "@/lib/retention";
import { refresherEnabled, startRefresher } from "@/lib/tokens/refresher";
import { startHealthCheck } from "@/lib/tokens/health-check";
import { startDispatcher } from "@/lib/alerts/dispatcher";
import { startAlertSchedule } from "@/lib/alerts/scheduled-events";
import { startLinkSweep } from "@/lib/connect-links/expiry";

const startupLog = () => log("startup");

export async function startup() {
  try {
    const cfg = config();
    keyRing();
    authSecret();
    await databaseReady(); // opens the database, checks it answers, applies pending migrations
    const { engine, where } = database();
    startupLog().info({ engine, database: where, sandbox: cfg.ZOHO_SANDBOX_URL || "off" }, "database ready");
    await registerInstance(); // refuses to serve beside an instance with other shared settings
    startupLog().info({ instance: instanceId() }, "instance registered");
    // Instances starting together re-encrypt once: the others wait, then find nothing left to do.
    await database().exclusive("startup-rekey", async () => {
      await upgradeUnboundSecrets();
      await warnAboutOldKeys();
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    startupLog().fatal({ error: message }, "cannot start");
    // Also in plain words on stderr: whoever starts the console reads this one, not a log shipper.
    console.error(`\n[console] cannot start: ${message}\n`);
    process.exit(1);
  }
  startHeartbeat();
  startBackgroundRefresher();
  startPruner();
  // Alerts: the outbox's sender and the look-ups no change triggers (expiring keys, the digest).
  startDispatcher();
  startAlertSchedule();
  startLinkSweep();
  const healthCheck = startHealthCheck();
  if (healthCheck) startupLog().info(healthCheck, "scheduled health check started");
}

/**
 * Values of the unbound v1 form are rewritten, bound to their row, before anything reads them:
 * the normal read path refuses v1, so a deployment never keeps (or accepts) a value that could
 * be moved to another row unnoticed.
 */
export async function upgradeUnboundSecrets() {
  const report = await rekeySecrets({ unboundOnly: true });
  if (report.reencrypted > 0) {
    await recordAudit({ actor: systemActor, action: "secrets.rekey", detail: { ...report, trigger: "startup" } });
    console.log(`[console] bound ${report.reencrypted} stored secrets to their rows (encryption format v1 → v2)`);
  }
  if (report.unreadable > 0) {
    console.warn(
      `[console] ${report.unreadable} stored secrets in the old format cannot be read (their key is not configured) and stay unusable; add the key to ENCRYPTION_KEYS_PREVIOUS and restart, or reconnect`,
    );
  }
}

async function warnAboutOldKeys() {
  const { underOldKeys } = await rekeySecrets({ dryRun: true });
  const old = Object.entries(underOldKeys);
  if (old.length) {
    const list = old.map(([k, n]) => `${n} under "${k}"`).join(", ");
    startupLog().warn({ underOldKeys }, `secrets stored under older encryption keys (${list}); run "npm run rekey" to move them to the active key`);
  }
}

// Keeps tokens fresh ahead of expiry. Not fatal: the console works without it, only tokens are
// then refreshed on demand. CONSOLE_REFRESHER=off turns it off.
function startBackgroundRefresher() {
  try {
    if (!refresherEnabled()) {
      startupLog().info("background refresher is off (CONSOLE_REFRESHER=off)");
      return;
    }
    const { intervalMs } = startRefresher();
    startupLog().info({ intervalMs }, "background refresher started");
  } catch (e) {
    startupLog().error({ error: errorText(e) }, "background refresher did not start");
  }
}
