import "server-only";
import { and, count, desc, eq, gt, isNotNull, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections, incidents } from "@/db/schema";

export interface IncidentDto {
  id: number;
  connection: { id: number; name: string };
  kind: "terminal" | "temporary";
  cause: string;
  failures: number;
  openedAt: number;
  resolvedAt: number | null;
  resolution: string | null;
}

const RECENT_MS = 30 * 24 * 60 * 60_000;

/**
 * Every open incident, then those resolved within 30 days (at most `limit`), newest first; of one
 * connection, if given. Open ones are never cut: each is a connection someone must look at.
 */
export async function listIncidents(opts: { connectionId?: number; limit?: number } = {}, now = Date.now()): Promise<IncidentDto[]> {
  const i = incidents;
  const query = (where: ReturnType<typeof and>) =>
    getDb()
      .select({ i, name: connections.name })
      .from(i)
      .innerJoin(connections, eq(connections.id, i.connectionRef))
      .where(and(opts.connectionId ? eq(i.connectionRef, opts.connectionId) : undefined, where))
      .orderBy(desc(i.openedAt), desc(i.id));
  const open = await query(isNull(i.resolvedAt));
  const resolved = await query(and(isNotNull(i.resolvedAt), gt(i.resolvedAt, new Date(now - RECENT_MS)))).limit(opts.limit ?? 200);
  return [...open, ...resolved].map(({ i: r, name }) => ({
    id: r.id,
    connection: { id: r.connectionRef, name },
    kind: r.kind === "terminal" ? "terminal" : "temporary",
    cause: r.cause,
    failures: r.failures,
    openedAt: r.openedAt.getTime(),
    resolvedAt: r.resolvedAt?.getTime() ?? null,
    resolution: r.resolution,
  }));
}

/** For the Overview's banner. */
export async function openIncidentCount(): Promise<number> {
  const [row] = await getDb().select({ n: count() }).from(incidents).where(isNull(incidents.resolvedAt));
  return row?.n ?? 0;
}
