/**
 * Telling "the database is out of reach" (the caller may say: try again shortly) from a failed
 * query, through drizzle's wrapper and pg's AggregateError of every address it tried.
 */
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./errors";

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });
/** drizzle's wrapper: "Failed query: …" with the driver's error as its cause. */
const wrapped = (cause: Error) => Object.assign(new Error("Failed query: select 1\nparams: "), { query: "select 1", cause });

describe("isDatabaseUnavailable", () => {
  it("knows a refused, reset or cut connection and a server shutting down or starting", () => {
    expect(isDatabaseUnavailable(coded("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(coded("terminating connection due to administrator command", "57P01")))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(coded("the database system is starting up", "57P03")))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(coded("connection failure", "08006")))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(new Error("Connection terminated unexpectedly")))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new AggregateError([coded("refused", "ECONNREFUSED"), coded("refused", "ECONNREFUSED")]), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([coded("connect ECONNREFUSED ::1:5432", "ECONNREFUSED")]))).toBe(true);
  });

  it("leaves every other failure to the caller", () => {
    expect(isDatabaseUnavailable(wrapped(coded('relation "nope" does not exist', "42P01")))).toBe(false);
    expect(isDatabaseUnavailable(wrapped(coded("duplicate key value violates unique constraint", "23505")))).toBe(false);
    expect(isDatabaseUnavailable(wrapped(coded("SQLITE_BUSY: database is locked", "SQLITE_BUSY")))).toBe(false);
    expect(isDatabaseUnavailable(new Error("anything else"))).toBe(false);
    expect(isDatabaseUnavailable("not an error")).toBe(false);
  });
});
