import { describe, expect, it, vi } from "vitest";
import { auditCsvStream, csvFilename, CSV_COLUMNS, type CsvOutcome } from "./csv";
import type { AuditEventDto } from "./query";
import { parseCsv } from "@/test/csv-reader";

async function* batchesOf(...batches: AuditEventDto[][]): AsyncGenerator<AuditEventDto[]> {
  yield* batches;
}

async function chunksOf(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(decoder.decode(value));
  }
}

async function csvOf(events: AuditEventDto[]): Promise<string> {
  return (await chunksOf(auditCsvStream(batchesOf(events)))).join("");
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

const AT = Date.UTC(2026, 2, 4, 9, 5, 7, 123);

function dto(over: Partial<AuditEventDto> = {}): AuditEventDto {
  return {
    id: 1,
    at: AT,
    actor: { type: "user", id: "3", label: "ops@console.test" },
    action: "connection.refresh",
    actionLabel: "Token refresh",
    group: "tokens",
    target: { type: "connection", id: "12", label: "desk prod", href: "/connections/12" },
    outcome: "success",
    ip: "10.0.0.7",
    count: 1,
    summary: "trigger: manual",
    detail: { trigger: "manual" },
    requestId: null,
    ...over,
  };
}

describe("auditCsvStream", () => {
  it("writes a header row of the columns, then one CRLF-terminated record per event", async () => {
    const text = await csvOf([
      dto(),
      dto({ id: 2, actor: { type: "system", id: null, label: "system" }, target: null, ip: null, detail: null, summary: "" }),
      dto({ id: 3, actor: { type: "anonymous", id: null, label: "oauth callback" }, count: 1000 }),
    ]);
    expect(text.startsWith(`${CSV_COLUMNS.join(",")}\r\n`)).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(4);
    const record = (i: number) => Object.fromEntries(CSV_COLUMNS.map((c, j) => [c, rows[i][j]]));
    expect(record(1)).toEqual({
      time_utc: "2026-03-04T09:05:07.123Z",
      actor_type: "user",
      actor: "ops@console.test",
      actor_id: "3",
      action: "connection.refresh",
      action_label: "Token refresh",
      target_type: "connection",
      target_id: "12",
      target_name: "desk prod",
      outcome: "success",
      ip: "10.0.0.7",
      count: "1",
      summary: "trigger: manual",
      detail_json: '{"trigger":"manual"}',
    });
    expect(record(2)).toMatchObject({ actor_type: "system", actor_id: "", target_type: "", target_id: "", target_name: "", ip: "", summary: "", detail_json: "" });
    // An anonymous row standing for repeated events carries how many.
    expect(record(3)).toMatchObject({ actor_type: "anonymous", count: "1000" });
  });

  it("writes only the header for no events", async () => {
    expect(await csvOf([])).toBe(`${CSV_COLUMNS.join(",")}\r\n`);
  });

  it("quotes commas, quotes and line breaks so every value reads back intact", async () => {
    const label = 'Desk, "prod"\r\nsecond line';
    const detail = { name: 'a "quoted", name', note: "line1\nline2" };
    const text = await csvOf([dto({ target: { type: "connection", id: "12", label, href: null }, detail, summary: "x,y" })]);
    expect(text).toContain('"Desk, ""prod""\r\nsecond line"');
    expect(text).toContain(',"x,y",');
    const rows = parseCsv(text);
    expect(rows).toHaveLength(2);
    expect(rows[1][CSV_COLUMNS.indexOf("target_name")]).toBe(label);
    expect(JSON.parse(rows[1][CSV_COLUMNS.indexOf("detail_json")])).toEqual(detail);
  });

  it("quotes a lone line feed or carriage return too, which would otherwise split the row", async () => {
    const summary = "error: Zoho said\nno";
    const label = "desk\rprod";
    const text = await csvOf([dto({ summary, target: { type: "connection", id: "12", label, href: null } })]);
    expect(text).toContain(`"${summary}"`);
    expect(text).toContain(`"${label}"`);
    const rows = parseCsv(text);
    expect(rows).toHaveLength(2);
    expect(rows[1][CSV_COLUMNS.indexOf("summary")]).toBe(summary);
    expect(rows[1][CSV_COLUMNS.indexOf("target_name")]).toBe(label);
  });

  it.each(["=HYPERLINK(\"http://evil\")", "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])("neutralises the formula %j with a leading quote", async (bad) => {
    const text = await csvOf([dto({ actor: { type: "user", id: "3", label: bad }, target: { type: "connection", id: "12", label: bad, href: null }, summary: bad })]);
    const record = parseCsv(text)[1];
    for (const column of ["actor", "target_name", "summary"] as const) expect(record[CSV_COLUMNS.indexOf(column)]).toBe(`'${bad}`);
  });

  it("leaves ordinary values, and formula characters inside a value, alone", async () => {
    const record = parseCsv(await csvOf([dto({ summary: "a=b, c-d @ e", actor: { type: "user", id: "3", label: "x@y.z" } })]))[1];
    expect(record[CSV_COLUMNS.indexOf("summary")]).toBe("a=b, c-d @ e");
    expect(record[CSV_COLUMNS.indexOf("actor")]).toBe("x@y.z");
    expect(record[CSV_COLUMNS.indexOf("time_utc")]).toBe("2026-03-04T09:05:07.123Z");
  });

  it("fails the stream when the events fail, rather than ending it as if complete", async () => {
    async function* broken(): AsyncGenerator<AuditEventDto[]> {
      yield [dto()];
      throw new Error("database gone");
    }
    const onEnd = vi.fn<(o: CsvOutcome) => void>();
    await expect(chunksOf(auditCsvStream(broken(), onEnd))).rejects.toThrow("database gone");
    expect(onEnd.mock.calls).toEqual([[{ rows: 1, complete: false }]]);
  });

  it("sends one chunk of whole records per batch, and reports the rows once it is complete", async () => {
    const onEnd = vi.fn<(o: CsvOutcome) => void>();
    const chunks = await chunksOf(auditCsvStream(batchesOf([dto({ id: 1 }), dto({ id: 2 })], [], [dto({ id: 3 })]), onEnd));
    expect(chunks).toHaveLength(2);
    expect(chunks.every((c) => c.endsWith("\r\n"))).toBe(true);
    expect(parseCsv(chunks[0])).toHaveLength(3);
    expect(parseCsv(chunks[1])).toHaveLength(1);
    expect(onEnd.mock.calls).toEqual([[{ rows: 3, complete: true }]]);
  });

  /** An endless source of batches that counts what has been read from it. */
  function endless(size: number) {
    const source = { batches: 0, closed: false };
    async function* read(): AsyncGenerator<AuditEventDto[]> {
      try {
        for (let id = 1; ; id += size) {
          source.batches++;
          yield Array.from({ length: size }, (_, i) => dto({ id: id + i }));
        }
      } finally {
        source.closed = true;
      }
    }
    return { source, batches: read() };
  }

  it("reads a batch only when the reader asks for a chunk, never ahead of it", async () => {
    const { source, batches } = endless(10);
    const reader = auditCsvStream(batches).getReader();
    await tick();
    expect(source.batches).toBe(0);
    const first = await reader.read();
    expect(parseCsv(new TextDecoder().decode(first.value))).toHaveLength(11);
    await tick();
    expect(source.batches).toBe(1);
    await reader.read();
    await tick();
    expect(source.batches).toBe(2);
    await reader.cancel();
  });

  it("holds a batch or two, not the file, for a writer that stalls; an aborted pipe stops the reading", async () => {
    const { source, batches } = endless(10);
    const onEnd = vi.fn<(o: CsvOutcome) => void>();
    let release = () => {};
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let written = 0;
    const slow = new WritableStream<Uint8Array>({
      async write() {
        written++;
        await stalled;
      },
    });
    // How a server pipes a response: the signal fires when the client goes away.
    const client = new AbortController();
    const piping = auditCsvStream(batches, onEnd).pipeTo(slow, { signal: client.signal });
    await tick();
    expect(written).toBe(1);
    expect(source.batches).toBeLessThanOrEqual(2);
    await tick();
    expect(source.batches).toBeLessThanOrEqual(2);
    // The client leaves: the pending write ends (a server resolves it when the socket closes),
    // and the pipe cancels the source instead of reading on.
    const read = source.batches;
    client.abort();
    release();
    await expect(piping).rejects.toThrow();
    expect(source.closed).toBe(true);
    // Node's pipe may issue one read as the pending write ends; none after that.
    expect(source.batches).toBeLessThanOrEqual(read + 1);
    const closedAt = source.batches;
    await tick();
    expect(source.batches).toBe(closedAt);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(onEnd.mock.calls[0][0].complete).toBe(false);
  });

  it("stops the reading when the reader cancels, and reports the rows sent as interrupted", async () => {
    const { source, batches } = endless(10);
    const onEnd = vi.fn<(o: CsvOutcome) => void>();
    const reader = auditCsvStream(batches, onEnd).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    await tick();
    expect(source.closed).toBe(true);
    expect(source.batches).toBe(2);
    expect(onEnd.mock.calls).toEqual([[{ rows: 20, complete: false }]]);
    await tick();
    expect(source.batches).toBe(2);
  });
});

describe("csvFilename", () => {
  it("carries the UTC date", () => {
    expect(csvFilename(new Date(Date.UTC(2026, 0, 31, 23, 59)))).toBe("audit-2026-01-31.csv");
  });
});
