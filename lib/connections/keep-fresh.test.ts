import { afterAll, describe, expect, it } from "vitest";
import { importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";

const h = await startSandboxHarness();
const { refresher, revoke, dbm, schema, drizzle } = await importTokenModules();
const { setKeepFresh } = await import("./keep-fresh");
afterAll(() => h.close());

const c = schema.connections;
const expireSoon = async (id: number) => {
  await dbm.getDb().update(c).set({ accessTokenExpiresAt: new Date(Date.now() + 30_000) }).where(drizzle.eq(c.id, id));
};
const stored = async (id: number) => (await dbm.getDb().select({ keepFresh: c.keepFresh }).from(c).where(drizzle.eq(c.id, id)))[0].keepFresh;

describe("keep fresh", () => {
  it("takes a connection off the background refresher's list and puts it back", async () => {
    const id = await h.connect();
    await expireSoon(id);
    expect(await refresher.dueConnectionIds()).toContain(id);

    expect(await setKeepFresh(id, false)).toMatchObject({ keepFresh: false, changed: true });
    expect(await stored(id)).toBe(false);
    expect(await refresher.dueConnectionIds()).not.toContain(id);

    expect(await setKeepFresh(id, false)).toMatchObject({ changed: false });
    expect(await setKeepFresh(id, true)).toMatchObject({ keepFresh: true, changed: true });
    expect(await refresher.dueConnectionIds()).toContain(id);
  });

  it("refuses a revoked connection, an online-only one, and one that does not exist", async () => {
    const id = await h.connect();
    await revoke.revokeConnection(id, { type: "user", id: 1, label: "ops@console.test" });
    await expect(setKeepFresh(id, true)).rejects.toMatchObject({ name: "UserError", message: /revoked/ });

    const online = await h.connect();
    await dbm.getDb().update(c).set({ accessType: "online", keepFresh: false }).where(drizzle.eq(c.id, online));
    await expect(setKeepFresh(online, true)).rejects.toMatchObject({ message: /online-only/i });
    expect(await stored(online)).toBe(false);
    // Switching it off is always allowed, also for an online-only connection that had it on.
    await dbm.getDb().update(c).set({ keepFresh: true }).where(drizzle.eq(c.id, online));
    expect(await setKeepFresh(online, false)).toMatchObject({ keepFresh: false, changed: true });

    await expect(setKeepFresh(987654, true)).rejects.toMatchObject({ message: /no longer exists/ });
  });
});
