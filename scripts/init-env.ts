// Writes .env.local with fresh keys when none exists, so `npm run up` can start a production
// build on a new clone. Existing files and variables are never touched.
import fs from "node:fs";
import { randomBytes } from "node:crypto";

const file = ".env.local";
if (process.env.ENCRYPTION_KEY && process.env.AUTH_SECRET) {
  console.log("[init-env] ENCRYPTION_KEY and AUTH_SECRET come from the environment");
} else if (fs.existsSync(file)) {
  console.log(`[init-env] using keys from ${file}`);
} else {
  const lines = [
    "# Generated on first start. Back these up: without ENCRYPTION_KEY stored secrets cannot be read.",
    `ENCRYPTION_KEY=k1:${randomBytes(32).toString("base64")}`,
    `AUTH_SECRET=${randomBytes(32).toString("base64url")}`,
    "# The local Zoho sandbox that `npm run up` starts; remove this line to hide the sandbox realm.",
    "ZOHO_SANDBOX_URL=http://127.0.0.1:4010",
    "",
  ];
  fs.writeFileSync(file, lines.join("\n"), { mode: 0o600 });
  console.log(`[init-env] generated ENCRYPTION_KEY and AUTH_SECRET into ${file}`);
}
