import { describe, expect, it } from "vitest";
import { actionLabel, targetHref } from "./actions";
import { auditSentence } from "./sentences";
import type { AuditEventDto } from "./query";
import { auditRow, connectionOption } from "./rows";

const dto: AuditEventDto = {
  id: 7,
  at: Date.UTC(2026, 11, 3, 9),
  actor: { type: "user", id: "3", label: "ops@example.com" },
  action: "connection.refresh",
  actionLabel: actionLabel("connection.refresh"),
  group: "tokens",
  target: { type: "connection", id: "12", label: "Desk EU", href: targetHref("connection", "12") },
  outcome: "failure",
  ip: "10.0.0.5",
  count: 1,
  summary: auditSentence("connection.refresh", "failure", { trigger: "manual", errorKind: "network" }),
  detail: { trigger: "manual", errorKind: "network" },
  requestId: "act-1",
};

describe("auditRow", () => {
  it("keeps what the table shows, its sentence made, and drops what it derives, which it derives the same", () => {
    const row = auditRow(dto);
    expect(row).toEqual({
      id: 7,
      at: dto.at,
      actor: { type: "user", label: "ops@example.com" },
      action: "connection.refresh",
      target: { type: "connection", id: "12", label: "Desk EU" },
      outcome: "failure",
      ip: "10.0.0.5",
      count: 1,
      summary: "Refresh failed: Zoho could not be reached (network) — it will be retried.",
      detail: { trigger: "manual", errorKind: "network" },
    });
    expect(actionLabel(row.action)).toBe(dto.actionLabel);
    expect(targetHref(row.target!.type, row.target!.id)).toBe("/connections/12");
    expect(row.summary).toBe(auditSentence(dto.action, dto.outcome, dto.detail));
    expect(JSON.stringify(row).length).toBeLessThan(JSON.stringify(dto).length * 0.8);
  });

  it("keeps an event without a target or detail as such", () => {
    const row = auditRow({ ...dto, target: null, detail: null, summary: auditSentence(dto.action, dto.outcome, null) });
    expect(row.target).toBeNull();
    expect(row.summary).toBe("Refresh failed: no reason was recorded.");
  });
});

describe("connectionOption", () => {
  it("labels a revoked connection as revoked", () => {
    expect(connectionOption({ id: 4, name: "Desk EU", revoked: false })).toEqual([4, "Desk EU"]);
    expect(connectionOption({ id: 5, name: "Old", revoked: true })).toEqual([5, "Old (revoked)"]);
  });
});
