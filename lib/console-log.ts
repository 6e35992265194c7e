import "server-only";
import { format } from "node:util";
import { log } from "@/lib/log";

// Colours and Next's own level marks ("⨯", "⚠") mean nothing inside a JSON line.
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const MARK = /^\s*[⨯⚠]\s*/;
const MAX_MESSAGE = 2000;

/**
 * console.error and console.warn as one JSON line each (component "next"), instead of text and
 * a multi-line stack on stderr: Next.js reports a request it could not serve with console.error.
 * An Error among the arguments becomes the line's `err` (type, message, stack, digest). Returns
 * the function that puts the console back (tests).
 */
export function routeConsoleToLog(): () => void {
  const before = { error: console.error, warn: console.warn };
  const write =
    (level: "error" | "warn") =>
    (...args: unknown[]) => {
      const err = args.find((a): a is Error => a instanceof Error);
      const text = format(...args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : a)));
      const msg = text.replace(ANSI, "").replace(MARK, "").slice(0, MAX_MESSAGE);
      log("next")[level](err ? { err } : {}, msg);
    };
  console.error = write("error");
  console.warn = write("warn");
  return () => Object.assign(console, before);
}
