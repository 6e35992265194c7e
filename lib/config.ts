import path from "node:path";
import { z } from "zod";

// Parsed once; every message names the variable and says what is wrong with it.
const boolish = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const urlVar = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v), {
      message: `${name} must be an absolute http(s) URL, e.g. http://localhost:3000`,
    })
    .transform((v) => v.replace(/\/+$/, ""));

/**
 * A whole number within bounds, defaulting when unset: every integer variable goes through here
 * so each message names the variable and its unit. `notes` add the reason a bound exists.
 */
const intVar = (name: string, unit: string, min: number, max: number, notes: { min?: string; max?: string } = {}) =>
  z.coerce
    .number({ message: `${name} must be a number of ${unit}` })
    .int(`${name} must be a whole number of ${unit}`)
    .min(min, `${name} must be ${notes.min ?? `at least ${min}`}`)
    .max(max, `${name} must be at most ${max}${notes.max ? ` ${notes.max}` : ""}`);

/** A comma-separated list of host names (optionally host:port), lower-cased. */
const hostList = (name: string) =>
  z
    .string()
    .trim()
    .default("")
    .transform((v) => v.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))
    .refine((hosts) => hosts.every((h) => /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(h)), {
      message: `${name} is a comma-separated list of host names or addresses, each optionally with :port (e.g. 127.0.0.1:4020,hooks.internal)`,
    });

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
  } catch {
    return false;
  }
}

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  CONSOLE_DATABASE_FILE: z.string().trim().min(1).default(".data/console.db"),
  // Set: PostgreSQL at this URL instead of the SQLite file (see db/engine.ts).
  CONSOLE_DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || (/^postgres(ql)?:\/\//i.test(v) && URL.canParse(v)), {
      message: "CONSOLE_DATABASE_URL must be a PostgreSQL URL, e.g. postgres://user:password@host:5432/console (or unset for the SQLite file)",
    })
    .transform((v) => v || undefined),
  CONSOLE_DATABASE_POOL_MAX: intVar("CONSOLE_DATABASE_POOL_MAX", "connections", 1, 200).default(10),
  CONSOLE_INSTANCE_NAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/, "CONSOLE_INSTANCE_NAME must be 1–63 letters, digits, dots, dashes, underscores or colons")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  CONSOLE_PUBLIC_URL: urlVar("CONSOLE_PUBLIC_URL")
    .refine((v) => v.startsWith("https://") || isLoopback(v), {
      message: "CONSOLE_PUBLIC_URL must use https (Zoho rejects plain http redirect URIs), except on localhost",
    })
    .default("http://localhost:3000"),
  ZOHO_SANDBOX_URL: z
    .string()
    .trim()
    .default("http://127.0.0.1:4010")
    .refine((v) => v === "" || (/^https?:\/\//.test(v) && URL.canParse(v)), {
      message: "ZOHO_SANDBOX_URL must be an http(s) URL, or empty to turn the sandbox realm off",
    })
    .transform((v) => v.replace(/\/+$/, "")),
  ZOHO_HTTP_TIMEOUT_MS: intVar("ZOHO_HTTP_TIMEOUT_MS", "milliseconds", 500, 120_000).default(10_000),
  // Bulk actions call one accounts server one connection at a time, at most this often, so a
  // hundred revokes never look like the continuous burst Zoho throttles.
  ZOHO_BULK_INTERVAL_MS: intVar("ZOHO_BULK_INTERVAL_MS", "milliseconds", 0, 60_000).default(1_000),
  ENCRYPTION_KEY: z.string().trim().optional(),
  ENCRYPTION_KEYS_PREVIOUS: z.string().trim().optional(),
  AUTH_SECRET: z.string().trim().optional(),
  TRUSTED_PROXY_HOPS: intVar("TRUSTED_PROXY_HOPS", "proxy hops", 0, 10, { min: "0 or more" }).default(0),
  LOGIN_MAX_FAILURES: intVar("LOGIN_MAX_FAILURES", "failed sign-ins", 1, 100).default(5),
  LOGIN_MAX_DELAY_SECONDS: intVar("LOGIN_MAX_DELAY_SECONDS", "seconds", 1, 300, { max: "(a longer wait lets strangers keep owners out)" }).default(30),
  LOGIN_ADDRESS_MAX_FAILURES: intVar("LOGIN_ADDRESS_MAX_FAILURES", "failed sign-ins", 1, 10_000).default(20),
  LOGIN_LOCK_MINUTES: intVar("LOGIN_LOCK_MINUTES", "minutes", 1, 1440).default(15),
  CONSOLE_LOG_SQL: boolish,
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { message: "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent" })
    .default("info"),
  CONSOLE_REFRESHER: z.enum(["on", "off"], { message: "CONSOLE_REFRESHER must be on or off" }).default("on"),
  CONSOLE_REFRESHER_INTERVAL_MS: intVar("CONSOLE_REFRESHER_INTERVAL_MS", "milliseconds", 500, 3_600_000).default(30_000),
  CONSOLE_REFRESHER_CONCURRENCY: intVar("CONSOLE_REFRESHER_CONCURRENCY", "refreshes", 1, 50).default(3),
  CONSOLE_API_RATE_LIMIT_PER_MINUTE: intVar("CONSOLE_API_RATE_LIMIT_PER_MINUTE", "calls", 1, 1_000_000).default(1200),
  CONSOLE_PROXY_MAX_REQUEST_BYTES: intVar("CONSOLE_PROXY_MAX_REQUEST_BYTES", "bytes", 1024, 1_073_741_824).default(10 * 1024 * 1024),
  CONSOLE_PROXY_MAX_RESPONSE_BYTES: intVar("CONSOLE_PROXY_MAX_RESPONSE_BYTES", "bytes", 1024, 1_073_741_824).default(50 * 1024 * 1024),
  CONSOLE_AUDIT_RETENTION_DAYS: intVar("CONSOLE_AUDIT_RETENTION_DAYS", "days", 31, 36_500, { min: "at least 31 (the charts show 30 days)" }).default(365),
  // Routine successes (background refreshes): most of the trail's rows, read as the rollups' counts.
  CONSOLE_AUDIT_ROUTINE_RETENTION_DAYS: intVar("CONSOLE_AUDIT_ROUTINE_RETENTION_DAYS", "days", 1, 36_500).default(30),
  // Off (0) by default: every kept-fresh connection's cheapest read per bound service, this often.
  CONSOLE_HEALTHCHECK_INTERVAL_MINUTES: intVar("CONSOLE_HEALTHCHECK_INTERVAL_MINUTES", "minutes", 0, 10_080)
    .refine((v) => v === 0 || v >= 5, { message: "CONSOLE_HEALTHCHECK_INTERVAL_MINUTES must be 0 (off) or at least 5" })
    .default(0),
  // Alert destinations may use plain http, and private or loopback addresses, only on these hosts.
  CONSOLE_ALERTS_ALLOWED_HOSTS: hostList("CONSOLE_ALERTS_ALLOWED_HOSTS"),
  // smtp(s)://user:password@host:port: e-mail alerts and the digest; unset, e-mail is off.
  SMTP_URL: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || (/^smtps?:\/\//i.test(v) && URL.canParse(v)), { message: "SMTP_URL must be smtp://host:port or smtps://user:password@host:465 (or unset)" })
    .transform((v) => v || undefined),
  SMTP_FROM: z.string().trim().default("Zoho OAuth Console <console@localhost>"),
  // The hour (0–23, the console's time zone) the daily at-risk digest goes out; unset, no digest.
  CONSOLE_DIGEST_HOUR: z
    .union([z.literal(""), intVar("CONSOLE_DIGEST_HOUR", "hours", 0, 23)])
    .optional()
    .transform((v) => (v === "" || v === undefined ? undefined : v)),
});

type Config = z.infer<typeof schema> & { dataDir: string; databaseFile: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const clean: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(env).filter(([k]) => k in schema.shape),
  );
  // The sandbox realm is for trying things out: a production console offers it only when asked.
  if (clean.ZOHO_SANDBOX_URL === undefined && clean.NODE_ENV === "production") clean.ZOHO_SANDBOX_URL = "";
  const parsed = schema.safeParse(clean);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? "environment");
        return i.message.includes(name) ? i.message : `${name}: ${i.message}`;
      }),
    );
  }
  const databaseFile = path.resolve(parsed.data.CONSOLE_DATABASE_FILE);
  return { ...parsed.data, databaseFile, dataDir: path.dirname(databaseFile) };
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

export const isProduction = () => config().NODE_ENV === "production";
