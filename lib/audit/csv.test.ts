import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { auditCsvStream, csvFilename, CSV_COLUMNS } from "./csv";
import type { AuditEventDto } from "./query";

/** Test-local RFC 4180 reader: quoted fields may hold commas, CRLF and doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' && field === "") {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quote");
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else field += text[i++];
      }
      if (i < text.length && text[i] !== "," && text.slice(i, i + 2) !== "\r\n") throw new Error(`text after a closing quote at ${i}`);
    } else if (ch === ",") {
      record.push(field);
      field = "";
      i++;
    } else if (text.slice(i, i + 2) === "\r\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else if (ch === "\n" || ch === "\r" || ch === '"') {
      throw new Error(`bare ${JSON.stringify(ch)} outside quotes at ${i}`);
    } else field += text[i++];
  }
  if (field !== "" || record.length) throw new Error("last record is not terminated by CRLF");
  return records;
}

async function csvOf(events: AuditEventDto[]): Promise<string> {
  async function* gen() {
    yield* events;
  }
  let out = "";
  for await (const chunk of auditCsvStream(gen())) out += chunk.toString();
  return out;
}

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
    async function* broken(): AsyncGenerator<AuditEventDto> {
      yield dto();
      throw new Error("database gone");
    }
    const read = async () => {
      for await (const chunk of auditCsvStream(broken())) void chunk;
    };
    await expect(read()).rejects.toThrow("database gone");
  });

  it("closes the events when the reader cancels the download, so their source can record it", async () => {
    let closed = false;
    let yielded = 0;
    async function* endless(): AsyncGenerator<AuditEventDto> {
      try {
        for (let id = 1; ; id++) {
          yielded++;
          yield dto({ id });
        }
      } finally {
        closed = true;
      }
    }
    const reader = Readable.toWeb(auditCsvStream(endless())).getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(true);
    const stopped = yielded;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(yielded).toBe(stopped);
  });
});

describe("csvFilename", () => {
  it("carries the UTC date", () => {
    expect(csvFilename(new Date(Date.UTC(2026, 0, 31, 23, 59)))).toBe("audit-2026-01-31.csv");
  });
});
