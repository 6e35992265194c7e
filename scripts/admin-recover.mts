// `npm run admin:recover -- --email admin@example.com [--password-stdin]`: restores access when
// nobody can sign in. The user becomes an enabled admin with a new password (random and printed
// once, or read from stdin), every session of theirs ends, and the account's sign-in wait and
// every address lock are lifted. Recorded in the audit trail as a system action.
import fs from "node:fs";

// Same files `next start` reads, so the script opens the database the console uses.
for (const file of [".env.local", ".env"]) if (fs.existsSync(file)) process.loadEnvFile(file);

const USAGE = "usage: npm run admin:recover -- --email <address> [--password-stdin]";

function fail(message: string, code = 1): never {
  console.error(`[admin:recover] ${message}`);
  process.exit(code);
}

function parseArgs(argv: string[]): { email: string; passwordStdin: boolean } {
  let email: string | undefined;
  let passwordStdin = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--password-stdin") passwordStdin = true;
    else if (arg === "--email") email = argv[++i];
    else if (arg.startsWith("--email=")) email = arg.slice("--email=".length);
    else fail(`unknown argument "${arg}"\n${USAGE}`, 64);
  }
  if (!email || !email.trim()) fail(`--email is required\n${USAGE}`, 64);
  return { email: email.trim(), passwordStdin };
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) fail("--password-stdin reads the password from a pipe, e.g. printf '%s\\n' \"$NEW_PASSWORD\" | npm run admin:recover -- …", 64);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  // One line: the trailing newline of echo/printf is not part of the password.
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

const { email, passwordStdin } = parseArgs(process.argv.slice(2));
const { generatePassword } = await import("../lib/auth/password");
const password = passwordStdin ? await readStdin() : generatePassword();
const { passwordRule } = await import("../lib/auth/schemas");
const rule = passwordRule.safeParse(password);
if (!rule.success) fail(`the password does not fit the console's rule: ${rule.error.issues[0]?.message ?? "12 to 256 characters"}`, 64);

// The console's database, SQLite or PostgreSQL, migrated as the console would at start.
const { errorText } = await import("../db/errors");
await (await import("../db/client")).databaseReady().catch((e: unknown) => fail(errorText(e)));
const { recoverAdmin, adminEmails } = await import("../lib/users");
const { recordAudit } = await import("../lib/audit");
const { UserError } = await import("../lib/errors");

try {
  const r = await recoverAdmin(email, password);
  await recordAudit({
    actor: { type: "system", label: "admin:recover" },
    action: "user.recover",
    target: { type: "user", id: r.user.id },
    detail: { email: r.user.email, madeAdmin: r.madeAdmin, reEnabled: r.reEnabled, generated: !passwordStdin, addressLocksCleared: r.addressLocksCleared },
  });
  const changes = [
    r.madeAdmin ? "made admin" : "already admin",
    r.reEnabled ? "enabled again" : "already enabled",
    "sessions ended",
    "sign-in wait lifted",
    `${r.addressLocksCleared} address lock(s) lifted`,
  ];
  console.log(`[admin:recover] ${r.user.email}: ${changes.join(", ")}.`);
  if (passwordStdin) console.log("[admin:recover] the password read from stdin is set.");
  else console.log(`[admin:recover] new password (shown once, change it after signing in): ${password}`);
  process.exit(0);
} catch (e) {
  if (e instanceof UserError) {
    const admins = await adminEmails();
    fail(`${e.message} Admins: ${admins.length ? admins.join(", ") : "none"}.`);
  }
  fail(errorText(e));
}
