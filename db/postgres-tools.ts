import fs from "node:fs";
import path from "node:path";

/**
 * PostgreSQL's own command-line tools (pg_dump, pg_restore), for backups: `POSTGRES_BIN` when set,
 * else the first on PATH, else the newest of Debian's side-by-side versions. pg_dump must be at
 * least as new as the server it dumps; the error it gives otherwise says so.
 */
export function postgresTool(name: "pg_dump" | "pg_restore" | "psql"): string {
  const candidates: string[] = [];
  if (process.env.POSTGRES_BIN) candidates.push(path.join(process.env.POSTGRES_BIN, name));
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) candidates.push(path.join(dir, name));
  const debian = "/usr/lib/postgresql";
  const versions = fs.existsSync(debian) ? fs.readdirSync(debian).sort((a, b) => b.localeCompare(a, "en", { numeric: true })) : [];
  for (const v of versions) candidates.push(path.join(debian, v, "bin", name));
  for (const file of candidates) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not this one
    }
  }
  throw new Error(`${name} is not installed: install PostgreSQL's client tools (Debian: apt-get install postgresql-client), or set POSTGRES_BIN to the folder that holds ${name}.`);
}

/**
 * How to hand a database URL to a tool without putting its password on the command line (where
 * every user of the machine can read it): the URL without it, and the password in PGPASSWORD.
 */
postgresTool.connection = (url: string): { dbname: string; env: NodeJS.ProcessEnv } => {
  const u = new URL(url);
  // In the user part or, as libpq also takes it, as a `password` parameter.
  const password = u.password ? decodeURIComponent(u.password) : (u.searchParams.get("password") ?? undefined);
  u.password = "";
  u.searchParams.delete("password");
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
};
