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
