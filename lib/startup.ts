import "server-only";
import { errorText, log } from "@/lib/log";
import { getDb } from "@/db/client";
import { config } from "@/lib/config";
import { rekeySecrets } from "@/lib/rekey";
import { authSecret, keyRing } from "@/lib/secrets";
import { startPruner } from "@/lib/retention";
import { refresherEnabled, startRefresher } from "@/lib/tokens/refresher";

const startupLog = () => log("startup");

export async function startup() {
  try {
    const cfg = config();
    keyRing();
    authSecret();
    getDb(); // opens the database and applies pending migrations
    startupLog().info({ database: cfg.CONSOLE_DATABASE_FILE, sandbox: cfg.ZOHO_SANDBOX_URL || "off" }, "database ready");
    warnAboutOldKeys();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    startupLog().fatal({ error: message }, "cannot start");
    // Also in plain words on stderr: whoever starts the console reads this one, not a log shipper.
    console.error(`\n[console] cannot start: ${message}\n`);
    process.exit(1);
  }
  startBackgroundRefresher();
  startPruner();
}

function warnAboutOldKeys() {
  const { underOldKeys } = rekeySecrets({ dryRun: true });
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
