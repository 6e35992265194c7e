import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { routeConsoleToLog } from "./console-log";
import { redirectLog } from "./log";

describe("console.error and console.warn", () => {
  it("become one JSON line each, an error's stack inside it", () => {
    const lines: string[] = [];
    const restoreLog = redirectLog(new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).split("\n").filter(Boolean)), done()) }), "info");
    const restoreConsole = routeConsoleToLog();
    try {
      // As Next.js reports a failed request: a marked message, then the error and its digest.
      const error = Object.assign(new Error("Invalid Server Actions request."), { digest: "1980682844" });
      console.error(" \x1b[31m⨯\x1b[39m", error);
      console.warn("Missing `origin` header from a forwarded Server Actions request.");
    } finally {
      restoreConsole();
      restoreLog();
    }
    expect(lines).toHaveLength(2);
    const [error, warning] = lines.map((l) => JSON.parse(l));
    expect(error).toMatchObject({ level: "error", component: "next", msg: "Error: Invalid Server Actions request.", err: { type: "Error", message: "Invalid Server Actions request.", digest: "1980682844" } });
    expect(error.err.stack).toMatch(/^Error: Invalid Server Actions request\.\n\s+at /);
    expect(warning).toMatchObject({ level: "warn", component: "next", msg: "Missing `origin` header from a forwarded Server Actions request." });
  });
});
