import "server-only";
import { randomUUID } from "node:crypto";
import { withRequestContext } from "@/lib/log";

/** The request id of a server action: the prefix tells its lines from a service API call's. */
export const newActionRequestId = () => `action-${randomUUID()}`;

/**
 * Runs a server action's work in a request context of its own, so that every line it logs,
 * however deep (the token engine's `token.refresh`, a failed revoke or verify, a code exchange),
 * carries one request id to search the log by. Route handlers set theirs from X-Request-Id; a
 * server action has no such header to trust, so the id is made up here.
 */
export function inActionContext<T>(fn: () => Promise<T>): Promise<T> {
  return withRequestContext({ requestId: newActionRequestId() }, fn);
}
