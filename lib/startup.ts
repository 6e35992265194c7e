import "server-only";
import { getDb } from "@/db/client";
import { config, ConfigError } from "@/lib/config";
import { authSecret, keyRing } from "@/lib/secrets";

export async function startup() {
  try {
    const cfg = config();
    keyRing();
    authSecret();
    getDb(); // opens the database and applies pending migrations
    console.log(`[console] database ready at ${cfg.CONSOLE_DATABASE_FILE}; Zoho sandbox: ${cfg.ZOHO_SANDBOX_URL || "off"}`);
  } catch (e) {
    const message = e instanceof ConfigError || e instanceof Error ? e.message : String(e);
    console.error(`\n[console] cannot start: ${message}\n`);
    process.exit(1);
  }
}
