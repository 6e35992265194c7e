import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxHarness, type SandboxHarness } from "@/test/sandbox-harness";

let h: SandboxHarness;
let s: typeof import("./quick-search");
let ids: Record<string, number>;

beforeAll(async () => {
  h = await startSandboxHarness();
  s = await import("./quick-search");
  ids = {
    payroll: await h.connect({ name: "Payroll desk sync" }),
    chat: await h.connect({ name: "Chat 100%_done", email: "eva@zylker.eu" }),
  };
  for (let i = 0; i < 12; i++) await h.connect({ name: `Bulk job ${i}` });
});
afterAll(async () => h?.close());

describe("quick search", () => {
  it("finds a connection by part of its name or its Zoho user, case-insensitively", async () => {
    expect((await s.quickSearch("payROLL")).filter((x) => x.kind === "connection").map((x) => x.id)).toEqual([ids.payroll]);
    const byEmail = await s.quickSearch("eva@zylker");
    expect(byEmail[0]).toMatchObject({ kind: "connection", id: ids.chat, href: `/connections/${ids.chat}` });
    // Mixed case on both sides (PostgreSQL's like is case-sensitive: the search must not be).
    expect((await s.quickSearch("EVA@Zylker.EU")).filter((x) => x.kind === "connection").map((x) => x.id)).toEqual([ids.chat]);
    expect((await s.quickSearch("DESK Sync")).filter((x) => x.kind === "connection").map((x) => x.id)).toEqual([ids.payroll]);
    expect((await s.quickSearch("sandbox DEMO")).filter((x) => x.kind === "client").map((x) => x.label)).toEqual(["Sandbox demo client"]);
  });

  it("needs every word and treats % and _ as plain text", async () => {
    expect((await s.quickSearch("payroll chat")).filter((x) => x.kind === "connection")).toEqual([]);
    const hits = (await s.quickSearch("100%_")).filter((x) => x.kind === "connection");
    expect(hits.map((x) => x.id)).toEqual([ids.chat]);
    expect((await s.quickSearch("%")).map((x) => x.id)).toEqual([ids.chat]);
    // A control character is a space, never the end of the pattern (SQLite's like stops at a NUL).
    expect(await s.quickSearch("\u0000zzzz")).toEqual([]);
    expect(await s.quickSearch("\u0000\u007f")).toEqual([]);
    expect((await s.quickSearch("payroll\u0000sync")).map((x) => x.id)).toEqual([ids.payroll]);
  });

  it("finds clients too, and stays bounded", async () => {
    const hits = await s.quickSearch("bulk");
    expect(hits.filter((x) => x.kind === "connection")).toHaveLength(s.QUICK_LIMIT);
    const clientHits = await s.quickSearch("sandbox");
    expect(clientHits.some((x) => x.kind === "client" && x.href.startsWith("/clients/"))).toBe(true);
    expect(await s.quickSearch("   ")).toEqual([]);
  });
});
