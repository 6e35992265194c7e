import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import pino, { type DestinationStream, type Logger } from "pino";

/**
 * The console's one logger: JSON lines on stdout, level from LOG_LEVEL (default info). Secrets
 * are removed by path before a line is written, so a token or secret that ends up in a logged
 * object by mistake still never reaches the log. Lines written while a request is handled carry
 * its id (see `withRequestContext`).
 */

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LEVELS)[number];
export const LOG_LEVELS: readonly LogLevel[] = LEVELS;

const SECRET_FIELDS = [
  "authorization",
  "Authorization",
  "cookie",
  "Cookie",
  "set-cookie",
  "access_token",
  "accessToken",
  "refresh_token",
  "refreshToken",
  "client_secret",
  "clientSecret",
  "code",
  "password",
  "passwordHash",
  "key",
  "apiKey",
  "secret",
  "token",
  "id_token",
];

/** The top level, one level down (`headers.authorization`) and two (`req.headers.cookie`). */
export const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => {
  const k = /^[A-Za-z_$][\w$]*$/.test(f) ? f : `["${f}"]`;
  const dot = k.startsWith("[") ? k : `.${k}`;
  return [k, `*${dot}`, `*.*${dot}`];
});

/** What a request's summary line and metrics say about it, filled in as it is handled. */
export interface RequestContext {
  requestId: string;
  /** The route family (token, proxy, …): a label from a fixed set. */
  route?: string;
  connectionId?: number;
  attemptId?: number;
  /** The API key's public prefix; never the key. */
  keyPrefix?: string;
  /** An error code from a fixed set when the request failed. */
  outcome?: string;
}

const holder = globalThis as unknown as {
  __consoleLogContext?: AsyncLocalStorage<RequestContext>;
  __consoleLog?: { logger: Logger; sink: { target: DestinationStream }; children?: Map<string, Logger> };
};
const context = (holder.__consoleLogContext ??= new AsyncLocalStorage<RequestContext>());

/** The level LOG_LEVEL asks for; an unknown value falls back to info (config() rejects it at start). */
export function logLevel(env: string | undefined = process.env.LOG_LEVEL): LogLevel {
  const v = env?.trim().toLowerCase();
  return (LEVELS as readonly string[]).includes(v ?? "") ? (v as LogLevel) : "info";
}

export function createLogger(destination: DestinationStream, level: LogLevel = logLevel()): Logger {
  return pino(
    {
      level,
      base: { service: "zoho-oauth-console", pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      mixin: () => {
        const ctx = context.getStore();
        return ctx ? { requestId: ctx.requestId } : {};
      },
    },
    destination,
  );
}

// The destination sits behind a switch so tests can read what the running code logs.
function root() {
  if (!holder.__consoleLog) {
    const sink = { target: pino.destination({ dest: 1, sync: false }) as DestinationStream };
    const logger = createLogger({ write: (line: string) => sink.target.write(line) });
    holder.__consoleLog = { logger, sink, children: new Map() };
  }
  return holder.__consoleLog;
}

/**
 * The logger for a part of the console: `log("refresh").info({...}, "message")`. One child per
 * component, made on first use: hot paths (one line per API call) need not build one each time.
 */
export function log(component: string): Logger {
  const state = root();
  const children = (state.children ??= new Map());
  let child = children.get(component);
  if (!child) {
    child = state.logger.child({ component });
    children.set(component, child);
  }
  return child;
}

/** Sends the log's lines to `target` until the returned function is called (tests). */
export function redirectLog(target: DestinationStream, level?: LogLevel): () => void {
  const state = root();
  const before = state.sink.target;
  const levelBefore = state.logger.level;
  // Children take the level of their parent when made: the cached ones are made anew.
  state.sink.target = target;
  if (level) state.logger.level = level;
  state.children?.clear();
  return () => {
    state.sink.target = before;
    state.logger.level = levelBefore;
    state.children?.clear();
  };
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The caller's X-Request-Id when it is a sane token, else a new one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get("x-request-id")?.trim();
  return given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Runs `fn` with a request context: every line it logs, however deep, carries the request id. */
export function withRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return context.run(ctx, fn);
}

export const requestContext = (): RequestContext | undefined => context.getStore();

/** Adds facts to the current request's context; a no-op outside a request. */
export function noteRequest(facts: Omit<Partial<RequestContext>, "requestId">) {
  const ctx = context.getStore();
  if (ctx) Object.assign(ctx, facts);
}

// A failed query's own error (locked, constraint, connection lost) and its SQL, never its
// parameters: see db/errors.ts.
export { errorText, unwrapQueryError } from "@/db/errors";
