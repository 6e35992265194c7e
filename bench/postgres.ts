// The bench's own PostgreSQL: one throw-away cluster per run (test/postgres/cluster.ts: Debian's
// server binaries, a fresh data folder, a free port on 127.0.0.1, about a second to start),
// started when the first scenario asks for it and stopped by run.ts at the end, also on failure
// (and by the cluster module's own exit hooks on a crash or Ctrl-C). Each scenario gets a fresh
// database in it. Nothing depends on a system PostgreSQL or on CONSOLE_DATABASE_URL.
import { createDatabase, dropDatabase, startCluster, type Cluster } from "@/test/postgres/cluster";

let cluster: Promise<Cluster> | undefined;

export function benchCluster(): Promise<Cluster> {
  cluster ??= startCluster({ log: (line) => console.log(line) }).catch((e: unknown) => {
    cluster = undefined;
    throw e;
  });
  return cluster;
}

/** An empty database named after the scenario (dropped first if a run left it); its URL. */
export async function freshPostgresDatabase(name: string): Promise<string> {
  const c = await benchCluster();
  const db = `bench_${name.replace(/[^a-z0-9]+/gi, "_").toLowerCase()}`;
  await dropDatabase(c, db);
  await createDatabase(c, db);
  return c.url(db);
}

/** What the cluster is, for the report: version and the settings that differ from a server's. */
export async function clusterFacts(): Promise<string> {
  const c = await benchCluster();
  const version = c.bin.match(/postgresql\/(\d+)/)?.[1] ?? "?";
  return `PostgreSQL ${version} (Debian's binaries), a throw-away cluster on 127.0.0.1:${c.port} over TCP, fsync, synchronous_commit and full_page_writes off, shared_buffers 64 MB (test/postgres/cluster.ts)`;
}

export async function stopCluster(): Promise<void> {
  const started = cluster;
  cluster = undefined;
  if (!started) return;
  const c = await started.catch(() => undefined);
  await c?.stop();
}
