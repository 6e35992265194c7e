import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxHarness, type SandboxHarness } from "@/test/sandbox-harness";

let h: SandboxHarness;
let s: typeof import("./connection-choices");
let ids: Record<string, number>;

beforeAll(async () => {
  h = await startSandboxHarness();
  s = await import("./connection-choices");
  ids = {
    payroll: await h.connect({ name: "Payroll desk sync" }),
    chat: await h.connect({ name: "chat 100%_done" }),
    gone: await h.connect({ name: "Old desk export" }),
  };
  for (let i = 0; i < 25; i++) await h.connect({ name: `Fleet job ${String(i).padStart(2, "0")}` });
  const { dbm, schema, drizzle } = await import("@/test/sandbox-harness").then((m) => m.importTokenModules());
  await dbm.getDb().update(schema.connections).set({ revokedAt: new Date() }).where(drizzle.eq(schema.connections.id, ids.gone));
});
afterAll(async () => h?.close());

describe("the key form's connection search", () => {
  it("finds connections by every word of their name, any case, and says which are revoked", async () => {
    expect((await s.searchConnectionChoices("DESK")).choices).toEqual([
      { id: ids.gone, name: "Old desk export", revoked: true },
      { id: ids.payroll, name: "Payroll desk sync", revoked: false },
    ]);
    expect((await s.searchConnectionChoices("sync payROLL")).choices.map((c) => c.id)).toEqual([ids.payroll]);
    expect((await s.searchConnectionChoices("payroll chat")).choices).toEqual([]);
  });

  it("treats % and _ as plain text and control characters as spaces", async () => {
    expect((await s.searchConnectionChoices("100%_")).choices.map((c) => c.id)).toEqual([ids.chat]);
    expect((await s.searchConnectionChoices("%")).choices.map((c) => c.id)).toEqual([ids.chat]);
    expect((await s.searchConnectionChoices("\u0000zzzz")).choices).toEqual([]);
  });

  it("answers a bounded page by name, case-insensitively, and says when more matched", async () => {
    const first = await s.searchConnectionChoices("");
    expect(first.choices).toHaveLength(s.CHOICES_LIMIT);
    expect(first.more).toBe(true);
    // "chat…" sorts among the capitals: by name without regard to case.
    expect(first.choices.map((c) => c.name).slice(0, 2)).toEqual(["chat 100%_done", "Fleet job 00"]);
    const fleet = await s.searchConnectionChoices("fleet job", 30);
    expect(fleet.choices).toHaveLength(25);
    expect(fleet.more).toBe(false);
    expect((await s.searchConnectionChoices("fleet job 2")).choices.map((c) => c.name)).toEqual(["Fleet job 02", "Fleet job 12", "Fleet job 20", "Fleet job 21", "Fleet job 22", "Fleet job 23", "Fleet job 24"]);
  });
});
