import "server-only";
import { getDb } from "@/db/client";
import { config } from "@/lib/config";
import { rekeySecrets } from "@/lib/rekey";
import { authSecret, keyRing } from "@/lib/secrets";
import { startPruner } from "@/lib/retention";
import { refresherEnabled, startRefresher } from "@/lib/tokens/refresher";

export async function startup() {
  try {
    const cfg = config();
    keyRing();
    authSecret();
    getDb(); // opens the database and applies pending migrations
    console.log(`[console] database ready at ${cfg.CONSOLE_DATABASE_FILE}; Zoho sandbox: ${cfg.ZOHO_SANDBOX_URL || "off"}`);
    warnAboutOldKeys();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
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
    console.warn(`[console] secrets stored under older encryption keys (${list}); run "npm run rekey" to move them to the active key`);
  }
}

// Keeps tokens fresh ahead of expiry. Not fatal: the console works without it, only tokens are
// then refreshed on demand. CONSOLE_REFRESHER=off turns it off.
function startBackgroundRefresher() {
  try {
    if (!refresherEnabled()) {
      console.log("[console] background refresher is off (CONSOLE_REFRESHER=off)");
      return;
    }
    const { intervalMs } = startRefresher();
    console.log(`[console] background refresher started, every ${Math.round(intervalMs / 1000)} s`);
  } catch (e) {
    console.error(`[console] background refresher did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
}
