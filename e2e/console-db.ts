/**
 * Direct access to the e2e console's database, on whichever engine this pass runs (see env.ts),
 * for what the UI does not show: row counts, stored history, and proof that no secret is kept in
 * clear. Reads go through short-lived connections so the console never waits on a spec.
 *
 * - `consoleQuery(sql, params)`  rows of one statement; `?` placeholders on both engines
 * - `expireStoredToken(id)`      the connection's access token expired, and not kept fresh
 * - `expireConnectLink(id)`      the connect link's lifetime has passed
 * - `consoleDbBytes()`           everything the database stores, as text
 * - `copyTaggedConnections(…)`   copies of a connection without tokens, carrying a tag (a fleet)
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { findPostgresBin } from "../test/postgres/cluster";
import { E2E_DATABASE_FILE, E2E_DATABASE_URL } from "./env";

const execFileAsync = promisify(execFile);

/**
 * Rows of one statement. Write SQL both engines accept: `?` placeholders, quoted aliases for
 * camelCase names (PostgreSQL folds unquoted ones to lower case), `true`/`false` for booleans.
 * Integers come back as numbers on both engines (PostgreSQL sends bigint, e.g. count(*) and
 * millisecond times, as strings); booleans stay as each engine gives them (0/1 or false/true).
 */
export async function consoleQuery<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  if (E2E_DATABASE_URL) return withPostgres(async (client) => (await client.query(numbered(sql), params)).rows as T[]);
  const db = new Database(E2E_DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** What the console's clock would see an hour later: the connection's access token has expired (and is not kept fresh). */
export async function expireStoredToken(id: number): Promise<void> {
  await consoleWrite("update connections set access_token_expires_at = ?, keep_fresh = false where id = ?", [Date.now() - 1000, id]);
}

/**
 * Takes a Zoho user's connections out of the refresh-token budget, as revoking each would: a test
 * that fills a user's 20 leaves no full budget behind (every later consent through that client
 * would need the eviction confirmation).
 */
export async function retireConnectionsOf(email: string): Promise<void> {
  await consoleWrite("update connections set revoked_at = ?, keep_fresh = false where zoho_email = ? and revoked_at is null", [Date.now(), email]);
}

/** What the console's clock would see once a connect link's lifetime has passed. */
export async function expireConnectLink(id: number): Promise<void> {
  await consoleWrite("update connect_links set expires_at = ? where id = ?", [Date.now() - 1000, id]);
}

/**
 * `count` copies of connection `sourceId` named `<prefix>-01` …, holding no token, each tagged
 * `tag`: a fleet larger than a page without authorizing each one in the sandbox.
 */
export async function copyTaggedConnections(sourceId: number, count: number, prefix: string, tag: string): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const name = `${prefix}-${String(i).padStart(2, "0")}`;
    await consoleWrite(
      `insert into connections (name, client_ref, access_type, zuid, zoho_email, location, accounts_server, api_domain, scopes_requested, scopes_granted, org_binding)
       select ?, client_ref, access_type, zuid, zoho_email, location, accounts_server, api_domain, scopes_requested, scopes_granted, org_binding from connections where id = ?`,
      [name, sourceId],
    );
    await consoleWrite("insert into connection_tags (connection_id, tag) select id, ? from connections where name = ?", [tag, name]);
  }
}

/** Takes one connection out of its Zoho user's refresh-token budget, as revoking it would (see retireConnectionsOf). */
export async function retireConnection(id: number): Promise<void> {
  await consoleWrite("update connections set revoked_at = ?, keep_fresh = false where id = ? and revoked_at is null", [Date.now(), id]);
}

/** One write, for what a spec cannot wait for (time passing); `?` placeholders on both engines. */
async function consoleWrite(sql: string, params: unknown[]): Promise<void> {
  if (E2E_DATABASE_URL) {
    await withPostgres((client) => client.query(numbered(sql), params));
    return;
  }
  const db = new Database(E2E_DATABASE_FILE, { fileMustExist: true });
  try {
    // The console may be writing at this moment; wait for its lock instead of failing.
    db.pragma("busy_timeout = 5000");
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/**
 * Everything the console's database holds, as text, to prove no secret is stored in clear. SQLite:
 * the file and its write-ahead log, byte for byte. PostgreSQL: a data-only pg_dump, which shows
 * values after decompression (TOAST), so a secret cannot hide in a compressed page.
 */
export async function consoleDbBytes(): Promise<string> {
  if (!E2E_DATABASE_URL) {
    return [E2E_DATABASE_FILE, `${E2E_DATABASE_FILE}-wal`]
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f).toString("latin1"))
      .join("");
  }
  // A password stays off the command line, where `ps` would show it.
  const url = new URL(E2E_DATABASE_URL);
  const password = decodeURIComponent(url.password);
  url.password = "";
  const { stdout } = await execFileAsync(path.join(findPostgresBin(), "pg_dump"), ["--data-only", "--no-owner", "--no-privileges", `--dbname=${url}`], {
    env: password ? { ...process.env, PGPASSWORD: password } : process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  // COPY text shows bytea as \\x<hex>: decoded too, so a secret in a binary column would be found.
  const binary = [...stdout.matchAll(/\\\\x([0-9a-f]+)/g)].map((m) => Buffer.from(m[1], "hex").toString("latin1"));
  return [stdout, ...binary].join("\n");
}

async function withPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL, types: { getTypeParser } });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// Only for this client: specs compare counts and times with numbers, as SQLite returns them.
const getTypeParser = ((oid: number, format?: "text" | "binary") =>
  oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;

/** `?` → `$1, $2 …`; the specs' SQL has no `?` inside string literals. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};
