import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvObjects } from "@/test/csv-reader";
import { startSandboxHarness, type SandboxHarness } from "@/test/sandbox-harness";

let h: SandboxHarness;
let csv: typeof import("./csv");
let q: typeof import("./queries");
let ids: number[];

beforeAll(async () => {
  h = await startSandboxHarness();
  csv = await import("./csv");
  q = await import("./queries");
  const tags = await import("./tags");
  const actor = (await import("@/lib/audit")).actorOf(h.admin);
  ids = [];
  for (let i = 0; i < 7; i++) ids.push(await h.connect({ name: i === 3 ? '=HYPERLINK("x"),\nnewline' : `export ${i}` }));
  for (const id of ids.slice(0, 5)) await tags.changeTags(id, { add: ["customer:acme"] }, actor);
  await tags.changeTags(ids[0], { add: ["env:prod"] }, actor);
});
afterAll(async () => h?.close());

async function exportText(input: Record<string, string>, batch = 2): Promise<string> {
  const stream = csv.connectionsCsvStream(csv.connectionBatches(q.parseListQuery(input), { batch }));
  return new Response(stream).text();
}

describe("connections CSV export", () => {
  it("has every row the filter matches, across batches, with tags and no secret", async () => {
    const text = await exportText({ tag: "customer:acme", sort: "name", page: "2" });
    const rows = csvObjects(text);
    expect(Object.keys(rows[0])).toEqual([...csv.CONNECTION_CSV_COLUMNS]);
    // Every page of the filter, in id order: the list's sort and page do not cut the export.
    expect(rows.map((r) => Number(r.id))).toEqual(ids.slice(0, 5));
    expect(rows[0]).toMatchObject({ client: "Sandbox demo client", tags: "customer:acme env:prod", keep_fresh: "yes", status: "Active", access_type: "offline" });
    expect(rows[0].access_token_expires_utc).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    // A name that a spreadsheet would run as a formula is defused; a newline stays inside its cell.
    expect(rows[3].name).toBe("'=HYPERLINK(\"x\"),\nnewline");
    const { decryptSecret, secretPlace } = await import("@/lib/secrets");
    for (const id of ids.slice(0, 5)) {
      const row = (await q.loadConnection(id))!;
      for (const secret of [
        decryptSecret(row.accessTokenEnc!, secretPlace.accessToken(id)),
        decryptSecret(row.refreshTokenEnc!, secretPlace.refreshToken(id)),
        row.accessTokenEnc!,
        row.refreshTokenEnc!,
      ]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it("has only the header when nothing matches, and every connection without a filter", async () => {
    expect((await exportText({ tag: "customer:nobody" })).trim()).toBe(csv.CONNECTION_CSV_COLUMNS.join(","));
    const all = csvObjects(await exportText({}, 50));
    expect(all.map((r) => Number(r.id))).toEqual(ids);
  });

  it("stops reading when the download is cancelled, and says how it ended", async () => {
    const ends: { rows: number; complete: boolean }[] = [];
    const stream = csv.connectionsCsvStream(csv.connectionBatches(q.parseListQuery({}), { batch: 1 }), (o) => {
      ends.push(o);
    });
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    // Two chunks read (the header with the first row, then the second): two of seven rows sent.
    expect(ends).toEqual([{ rows: 2, complete: false }]);
  });
});
