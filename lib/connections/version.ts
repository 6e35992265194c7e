import "server-only";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { dataVersions } from "@/db/schema";

/** Raised by triggers on every write to connections or clients (migration 0005). */
export async function connectionsVersion(): Promise<number> {
  const [row] = await getDb().select({ v: dataVersions.version }).from(dataVersions).where(eq(dataVersions.name, "connections"));
  return row?.v ?? 0;
}

/**
 * Statuses also change with the clock (a token nears expiry), so a poll's ETag changes at least
 * once a minute even when no row did; the browser recomputes each row's status every second.
 */
export const ETAG_TIME_BUCKET_MS = 60_000;

export function pollEtag(version: number, what: string, now = Date.now()): string {
  const h = createHash("sha256").update(`${version}|${Math.floor(now / ETAG_TIME_BUCKET_MS)}|${what}`).digest("base64url").slice(0, 22);
  return `W/"${h}"`;
}

/** True when the request's If-None-Match names `etag`. */
export function notModified(request: Request, etag: string): boolean {
  const sent = request.headers.get("if-none-match");
  return !!sent && sent.split(",").some((t) => t.trim() === etag);
}
