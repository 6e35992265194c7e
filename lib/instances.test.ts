/**
 * The instance registry: which shared settings may differ between live instances (none but the
 * encryption keys while one is rolled out) and what health says about the fleet.
 */
import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ CONSOLE_INSTANCE_NAME: "unit-a" });
const instances = await import("./instances");
const { getDb } = await import("@/db/client");
const { consoleInstances } = await import("@/db/schema");
afterAll(() => tmp.cleanup());

const base = { AUTH_SECRET: "a", CONSOLE_PUBLIC_URL: "u", "ENCRYPTION_KEY active": "k1", 'encryption key "k1"': "h1" };

describe("settings two instances must share", () => {
  it("agree when equal; refuse another AUTH_SECRET, public URL or server actions' key", () => {
    expect(instances.settingsConflict(base, { ...base })).toBeNull();
    expect(instances.settingsConflict(base, { ...base, AUTH_SECRET: "b" })).toBe("AUTH_SECRET differs");
    expect(instances.settingsConflict(base, { ...base, CONSOLE_PUBLIC_URL: "v" })).toBe("CONSOLE_PUBLIC_URL differs");
    expect(instances.settingsConflict({ ...base, NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: "x" }, base)).toBe("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY differs");
  });

  it("let a new key roll out: first as a previous key everywhere, then active; never one id for two keys", () => {
    const withNext = { ...base, 'encryption key "k2"': "h2" };
    expect(instances.settingsConflict(withNext, base)).toBeNull();
    const switched = { ...withNext, "ENCRYPTION_KEY active": "k2" };
    expect(instances.settingsConflict(switched, withNext)).toBeNull();
    // Active on one instance before the other can read it: what it writes would be unreadable there.
    expect(instances.settingsConflict(switched, base)).toBe(`this instance's active encryption key "k2" is not in its key ring`);
    expect(instances.settingsConflict(base, switched)).toBe(`its active encryption key "k2" is not in this instance's ENCRYPTION_KEY or ENCRYPTION_KEYS_PREVIOUS`);
    expect(instances.settingsConflict(base, { ...base, 'encryption key "k1"': "other" })).toBe('encryption key "k1" is another key there');
  });
});

describe("the fleet in health", () => {
  it("counts live instances and warns when one serves another build; a silent one is not live", async () => {
    await instances.registerInstance();
    expect(await instances.fleetHealth()).toEqual({ live: 1 });
    const now = Date.now();
    const row = { host: "h", pid: 1, fingerprints: {}, startedAt: new Date(now) };
    await getDb().insert(consoleInstances).values([
      { id: "unit-b", buildId: "another-build", lastSeenAt: new Date(now), ...row },
      { id: "unit-gone", buildId: "old-build", lastSeenAt: new Date(now - instances.LIVE_MS - 1_000), ...row },
    ]);
    const health = await instances.fleetHealth();
    expect(health.live).toBe(2);
    expect(health.warning).toMatch(/^"unit-b" serves another build than this instance/);
    expect(instances.instanceId()).toBe("unit-a");
  });

  it("a console restarted on this host is not held back by the row of the process it replaced", async () => {
    const { spawnSync } = await import("node:child_process");
    const os = await import("node:os");
    const { ne } = await import("drizzle-orm");
    await getDb().delete(consoleInstances).where(ne(consoleInstances.id, "unit-a")); // the fleet of the test before
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!; // a pid that has ended
    const now = Date.now();
    await getDb().insert(consoleInstances).values({ id: "replaced", host: os.hostname(), pid: gone, buildId: "b", fingerprints: { AUTH_SECRET: "another" }, startedAt: new Date(now), lastSeenAt: new Date(now) });
    expect((await instances.liveInstances()).map((i) => i.id)).not.toContain("replaced");
    await expect(instances.registerInstance()).resolves.toBeUndefined();
    // The same row on another host may still run: its settings are checked.
    await getDb().insert(consoleInstances).values({ id: "elsewhere", host: "another-host", pid: gone, buildId: "b", fingerprints: { AUTH_SECRET: "another" }, startedAt: new Date(now), lastSeenAt: new Date(now) });
    await expect(instances.registerInstance()).rejects.toThrow(/running instance "elsewhere" \(on another-host\): AUTH_SECRET differs.*once it has been silent for 30 s/);
  });

  it("a heartbeat writes the instance's row again when it is gone (pruned, or a restored database)", async () => {
    const { eq } = await import("drizzle-orm");
    await getDb().delete(consoleInstances).where(eq(consoleInstances.id, "unit-a"));
    expect((await instances.liveInstances()).map((i) => i.id)).not.toContain("unit-a");
    await instances.heartbeat();
    expect((await instances.liveInstances()).map((i) => i.id)).toContain("unit-a");
  });
});
