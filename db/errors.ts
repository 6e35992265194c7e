/**
 * The database's own error inside drizzle's "Failed query: <sql> params: <values>" wrapper, and
 * the SQL it ran. The parameters are row data (password hashes, ciphertexts): messages and logs
 * take the cause and the SQL, never them.
 */
export function unwrapQueryError(e: Error): { error: Error; query?: string } {
  const query = (e as { query?: unknown }).query;
  return typeof query === "string" && e.cause instanceof Error ? { error: e.cause, query } : { error: e };
}

/** Why a database could not be opened, and what to check: never the password. */
export function unreachableMessage(engine: "sqlite" | "postgres", where: string, e: unknown): string {
  const reason = errorText(e);
  if (engine === "sqlite") return `cannot open the SQLite database ${where}: ${reason}`;
  return (
    `cannot reach PostgreSQL at ${where}: ${reason}. Check that the server runs and accepts connections from ` +
    "this host, the host and port, the database name, the user and password, and sslmode (CONSOLE_DATABASE_URL)."
  );
}

/** A short text for an error of unknown type, without its stack or a failed query's parameters. */
export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const { error, query } = unwrapQueryError(e);
  return query ? `${error.message} (query: ${query})` : error.message;
}

// Node's socket errors, and PostgreSQL's SQLSTATE classes for a server that is shutting down,
// starting, or whose connection broke (57P01–57P03, class 08).
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "57P01", "57P02", "57P03"]);
const UNREACHABLE_WORDS = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i;

/**
 * Whether a failed query failed because the database is out of reach (down, restarting, the
 * connection cut), not because of the query: the caller may answer "try again shortly".
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const { error } = unwrapQueryError(e);
  for (let err: unknown = error; err instanceof Error; err = err.cause) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && (UNREACHABLE_CODES.has(code) || code.startsWith("08"))) return true;
    if (UNREACHABLE_WORDS.test(err.message)) return true;
    const nested = (err as { errors?: unknown }).errors; // AggregateError: every address refused
    if (Array.isArray(nested) && nested.some((x) => isDatabaseUnavailable(x))) return true;
  }
  return false;
}
