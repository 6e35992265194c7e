import { describe, expect, it } from "vitest";
import { actionGroup, actionLabel, actionsInGroup, targetHref } from "./actions";
import { auditHref, auditSearchParams, formatCursor, isFiltered, parseAuditQuery, parseCursor, timeWindow, type AuditFilter } from "./filters";

const parse = (qs: string) => parseAuditQuery(new URLSearchParams(qs));

describe("parseAuditQuery", () => {
  it("keeps well-formed values", () => {
    const q = parse("actor=user:3&action=tokens&client=2&connection=15&outcome=denied&range=7d");
    expect(q).toEqual({ filter: { actor: "user:3", action: "tokens", client: 2, connection: 15, outcome: "denied", range: "7d" } });
    expect(parse("actor=api_key&action=connection.refresh").filter).toEqual({ actor: "api_key", action: "connection.refresh" });
    // Also reads Next's searchParams object, taking the first of repeated values.
    expect(parseAuditQuery({ actor: ["system", "user"], outcome: "failure", range: undefined }).filter).toEqual({ actor: "system", outcome: "failure" });
  });

  it("drops malformed values instead of failing, as a link may be old or edited", () => {
    const q = parse("actor=root&action=DROP TABLE&client=2x&connection=-1&outcome=maybe&range=1y&before=yesterday&after=1.2.3");
    expect(q).toEqual({ filter: {}, ignored: ["actor", "action", "client", "connection", "outcome", "range", "before", "after"] });
    expect(parse("actor=user:abc").filter).toEqual({});
    expect(parse("actor=user:").filter).toEqual({});
    expect(parse("client=1e3&connection=0x10").filter).toEqual({});
    expect(parse("client=1234567890123").filter).toEqual({});
  });

  it("reads from/to only for a custom range, and drops an unparsable date", () => {
    expect(parse("range=custom&from=2026-03-01T10:00:00Z&to=not-a-date").filter).toEqual({ range: "custom", from: "2026-03-01T10:00:00.000Z" });
    expect(parse("range=custom&from=2026-03-01T11:00:00%2B01:00").filter.from).toBe("2026-03-01T10:00:00.000Z");
    expect(parse("range=24h&from=2026-03-01T10:00:00Z&to=2026-03-02T10:00:00Z").filter).toEqual({ range: "24h" });
    expect(parse("from=2026-03-01T10:00:00Z").filter).toEqual({});
  });

  it("names what it could not apply, a custom range that ends before it starts included", () => {
    expect(parse("range=custom&from=2026-03-01T10:00:00Z&to=not-a-date").ignored).toEqual(["to"]);
    const backwards = parse("outcome=success&range=custom&from=2026-03-02T10:00:00Z&to=2026-03-01T10:00:00Z");
    expect(backwards.filter).toEqual({ outcome: "success", range: "custom" });
    expect(backwards.ignored).toEqual(["from", "to"]);
    expect(parse("outcome=success&range=7d").ignored).toBeUndefined();
  });

  it("reads a cursor, preferring `before` when both are given", () => {
    expect(parse("before=1767225600000.42")).toEqual({ filter: {}, before: { at: 1767225600000, id: 42 } });
    expect(parse("after=1767225600000.42")).toEqual({ filter: {}, after: { at: 1767225600000, id: 42 } });
    expect(parse("before=5.1&after=6.2")).toEqual({ filter: {}, before: { at: 5, id: 1 } });
    expect(parse("before=garbage&after=6.2")).toEqual({ filter: {}, ignored: ["before"], after: { at: 6, id: 2 } });
    for (const bad of ["1.2.3", ".4", "4.", "-1.2", "1767225600000", "a.b", "1234567890123456.1"]) expect(parseCursor(bad)).toBeUndefined();
    expect(parseCursor(formatCursor({ at: 1767225600123, id: 9 }))).toEqual({ at: 1767225600123, id: 9 });
  });
});

describe("auditSearchParams and auditHref", () => {
  const filters: AuditFilter[] = [
    {},
    { actor: "user:3" },
    { actor: "system", action: "tokens", outcome: "failure", range: "24h" },
    { client: 4, connection: 12, action: "connection.revoke", range: "30d" },
    { range: "custom", from: "2026-03-01T10:00:00.000Z", to: "2026-03-05T00:00:00.000Z" },
  ];

  it.each(filters)("round-trips %j through the URL", (filter) => {
    expect(parseAuditQuery(auditSearchParams(filter)).filter).toEqual(filter);
    expect(parse(new URL(auditHref(filter), "http://x").search).filter).toEqual(filter);
  });

  it("writes equal filters as equal URLs and keeps extra parameters", () => {
    expect(auditHref({ outcome: "failure", actor: "system" })).toBe(auditHref({ actor: "system", outcome: "failure" }));
    expect(auditHref({})).toBe("/audit");
    expect(auditHref({ actor: "system" }, { before: "5.1" })).toBe("/audit?actor=system&before=5.1");
    // from/to mean nothing without the custom range, so they are not written.
    expect(auditSearchParams({ range: "7d", from: "2026-03-01T10:00:00.000Z" }).toString()).toBe("range=7d");
  });

  it("says whether anything is filtered", () => {
    expect(isFiltered(parse("before=5.1").filter)).toBe(false);
    expect(isFiltered(parse("outcome=success").filter)).toBe(true);
  });
});

describe("timeWindow", () => {
  const now = Date.UTC(2026, 5, 1, 12);
  it("bounds each range", () => {
    expect(timeWindow({}, now)).toEqual({});
    expect(timeWindow({ range: "24h" }, now)).toEqual({ from: now - 86_400_000 });
    expect(timeWindow({ range: "7d" }, now)).toEqual({ from: now - 7 * 86_400_000 });
    expect(timeWindow({ range: "30d" }, now)).toEqual({ from: now - 30 * 86_400_000 });
    expect(timeWindow({ range: "custom", from: "2026-03-01T10:00:00.000Z", to: "2026-03-05T00:00:00.000Z" }, now)).toEqual({
      from: Date.UTC(2026, 2, 1, 10),
      to: Date.UTC(2026, 2, 5),
    });
    expect(timeWindow({ range: "custom", to: "2026-03-05T00:00:00.000Z" }, now)).toEqual({ to: Date.UTC(2026, 2, 5) });
    expect(timeWindow({ range: "custom" }, now)).toEqual({});
  });
});

describe("action catalogue", () => {
  it("labels known actions and keeps unknown ones by name", () => {
    expect(actionLabel("connection.refresh")).toBe("Token refresh");
    expect(actionLabel("widget.frobnicate")).toBe("widget.frobnicate");
    expect(actionLabel("toString")).toBe("toString");
    expect(actionGroup("api_key.revoke")).toBe("keys");
    expect(actionGroup("widget.frobnicate")).toBeNull();
    expect(actionsInGroup("tokens").sort()).toEqual(["connection.evicted", "connection.needs_reauth", "connection.refresh", "connection.refresh_abandoned", "connection.revoke", "connection.token_rejected"]);
  });

  it("links only target types that have a page, and only numeric ids", () => {
    expect(targetHref("connection", "7")).toBe("/connections/7");
    expect(targetHref("client", "3")).toBe("/clients/3");
    expect(targetHref("oauth_attempt", "3")).toBeNull();
    expect(targetHref("connection", "../admin")).toBeNull();
    expect(targetHref(null, "3")).toBeNull();
  });
});
