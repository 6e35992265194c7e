import fs from "node:fs";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDatabase, dropDatabase, startCluster } from "./cluster";

describe("throw-away PostgreSQL cluster", () => {
  it("serves a database made from a template, without durability, and leaves no folder behind", async () => {
    const cluster = await startCluster();
    try {
      await createDatabase(cluster, "cluster_check", "template1");
      const client = new pg.Client({ connectionString: cluster.url("cluster_check") });
      await client.connect();
      try {
        expect((await client.query("show fsync")).rows[0].fsync).toBe("off");
        expect((await client.query("select current_user as name")).rows[0].name).toBe("postgres");
      } finally {
        await client.end();
      }
      // The test's own connection is closed, but FORCE would also drop it under a live one.
      await dropDatabase(cluster, "cluster_check");
      const admin = new pg.Client({ connectionString: cluster.url() });
      await admin.connect();
      const left = await admin.query("select 1 from pg_database where datname = 'cluster_check'");
      await admin.end();
      expect(left.rowCount).toBe(0);
    } finally {
      await cluster.stop();
    }
    expect(fs.existsSync(cluster.dataDir)).toBe(false);
    await cluster.stop();
  }, 60_000);
});
