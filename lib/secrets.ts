import "server-only";
import { log } from "@/lib/log";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { config, isProduction } from "./config";
import { buildKeyRing, decryptWith, encryptWith, generateKeySpec, type KeyRing, type SecretPlace } from "./crypto";

// Development may run without keys: they are generated once into the data folder so restarts
// keep working. Production refuses instead, because a generated key that nobody backs up turns
// every stored token into garbage the day the data folder is lost.
interface DevSecrets {
  encryptionKey: string;
  authSecret: string;
}

const HOW_TO =
  'Generate one with: node -e "console.log(\'k1:\'+require(\'crypto\').randomBytes(32).toString(\'base64\'))"';

function devSecrets(): DevSecrets {
  const file = path.join(config().dataDir, "dev-secrets.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as DevSecrets;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fresh = { encryptionKey: generateKeySpec("dev"), authSecret: randomBytes(32).toString("base64url") };
  fs.writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  log("config").warn(
    { file: path.relative(process.cwd(), file) },
    "ENCRYPTION_KEY and AUTH_SECRET are not set: generated development values into this file. Set both for production.",
  );
  return fresh;
}

let ring: KeyRing | undefined;

export function keyRing(): KeyRing {
  if (ring) return ring;
  const { ENCRYPTION_KEY, ENCRYPTION_KEYS_PREVIOUS } = config();
  if (!ENCRYPTION_KEY && isProduction()) {
    throw new Error(`ENCRYPTION_KEY is required in production to encrypt secrets at rest. ${HOW_TO}`);
  }
  ring = buildKeyRing(ENCRYPTION_KEY || devSecrets().encryptionKey, ENCRYPTION_KEYS_PREVIOUS);
  return ring;
}

export function authSecret(): string {
  const { AUTH_SECRET } = config();
  if (AUTH_SECRET) {
    if (AUTH_SECRET.length < 32) throw new Error("AUTH_SECRET must be at least 32 characters long");
    return AUTH_SECRET;
  }
  if (isProduction()) {
    throw new Error(
      "AUTH_SECRET is required in production to sign sessions. Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"",
    );
  }
  return devSecrets().authSecret;
}

export { secretPlace } from "./secret-places";
export type { SecretPlace };

export const encryptSecret = (plaintext: string, place: SecretPlace) => encryptWith(keyRing(), plaintext, place);
export const decryptSecret = (stored: string, place: SecretPlace) => decryptWith(keyRing(), stored, place);
