import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_NAMES, OUTCOMES, actionLabel } from "./actions";
import { changeDiff } from "./diff";
import { auditSearchText } from "./search-text";
import { SENTENCE_ACTIONS, auditSentence, reasonText } from "./sentences";

// Details shaped like the ones the writers record, to read every action with something in it.
const SAMPLE: Record<string, unknown> = {
  name: "Desk EU",
  email: "ops@example.com",
  reason: "bad_credentials",
  trigger: "background",
  errorKind: "invalid_code",
  error: "Zoho no longer accepts this refresh token.",
  rows: 12,
  count: 3,
  operation: "Refresh",
  added: ["env:prod"],
  removed: [],
  changed: ["name"],
  results: [{ service: "desk", ok: true, latencyMs: 40 }],
  deleted: 7,
  reencrypted: 2,
};

describe("one sentence per audit event", () => {
  it("has a sentence of its own for every action in the catalogue", () => {
    expect([...SENTENCE_ACTIONS].sort()).toEqual([...AUDIT_ACTION_NAMES].sort());
  });

  it.each(AUDIT_ACTION_NAMES)("reads %s as one plain sentence, whatever the detail and outcome", (action) => {
    for (const outcome of OUTCOMES) {
      for (const detail of [null, {}, SAMPLE]) {
        const s = auditSentence(action, outcome, detail);
        expect(s, `${action} ${outcome}`).toMatch(/^[A-Z“].*[.]$/);
        expect(s).not.toMatch(/undefined|\bnull\b|\[object|NaN/);
        // No key: value dump of the detail.
        expect(s).not.toMatch(/\b(trigger|errorKind|reason|changed|email): /);
        expect(s).not.toBe(`${actionLabel(action)}.`);
      }
    }
  });

  it("puts the error first, in words, with what to do", () => {
    expect(auditSentence("connection.refresh", "failure", { name: "Desk EU", trigger: "background", errorKind: "invalid_code", error: "Zoho no longer accepts this refresh token." })).toBe(
      "Refresh failed: Zoho refused the refresh token (invalid_code) — reconnect.",
    );
    expect(auditSentence("connection.refresh", "failure", { trigger: "manual", refused: "backing_off" })).toBe(
      "Refresh failed: earlier refreshes failed, so the console waits before the next try.",
    );
    expect(auditSentence("connection.refresh", "success", { trigger: "background", latencyMs: 80 })).toBe("Refreshed the access token by the background refresher.");
    expect(auditSentence("connection.revoke", "failure", { errorKind: "network" })).toMatch(/^Revoke failed: Zoho could not be reached \(network\).*tokens are still live\.$/);
    expect(auditSentence("connection.needs_reauth", "failure", { reason: "evicted" })).toMatch(/^Zoho refused the refresh token: a newer consent .* \(evicted\) — reconnect\.$/);
  });

  it("translates reason codes instead of showing them bare", () => {
    const delayed = auditSentence("auth.sign_in", "denied", { reason: "delayed" });
    expect(delayed).toMatch(/^Sign-in refused: this account had too many recent failed sign-ins/);
    expect(delayed).not.toMatch(/reason: delayed/);
    expect(auditSentence("auth.sign_in", "failure", { reason: "bad_credentials" })).toBe("Sign-in failed: wrong e-mail or password.");
    expect(auditSentence("connection.callback", "failure", { reason: "dc_not_enabled", location: "eu" })).toMatch(/enable multi-DC/);
    expect(auditSentence("api_key.refused", "denied", { reason: "no token permission" })).toBe("Service API call refused: the API key lacks the token permission.");
    expect(auditSentence("client.update", "denied", { reason: "forbidden", role: "viewer", permission: "clients:manage" })).toBe("Refused: the viewer role may not manage clients.");
    // A code the console does not know yet still reads as words, with the code kept.
    expect(reasonText("brand_new_reason")).toBe("brand new reason (brand_new_reason)");
  });

  it("names what changed", () => {
    expect(auditSentence("user.change_role", "success", { email: "a@b.c", before: { role: "viewer" }, after: { role: "operator" } })).toBe("Changed the role from viewer to operator.");
    expect(auditSentence("user.change_role", "success", { email: "a@b.c", from: "viewer", to: "admin" })).toBe("Changed the role from viewer to admin.");
    expect(auditSentence("connection.keep_fresh", "success", { before: { keepFresh: true }, after: { keepFresh: false } })).toMatch(/^Turned Keep fresh off/);
    expect(auditSentence("client.update", "success", { name: "Desk", changed: ["name", "homeDc"] })).toBe("Changed name, home data centre of “Desk”.");
  });

  it("keeps an action outside the catalogue readable", () => {
    expect(auditSentence("widget.frobnicate", "failure", { reason: "jammed" })).toBe("widget frobnicate: failure (jammed (jammed)).");
  });
});

describe("changeDiff", () => {
  it("reads before/after objects, per-field from/to and an old top-level from/to", () => {
    expect(changeDiff({ name: "x", before: { name: "Old", homeDc: "us" }, after: { name: "New", homeDc: "us" } })).toEqual([{ field: "name", before: "Old", after: "New" }]);
    expect(changeDiff({ name: "k", prefix: "zoc_ab", expiresAt: { from: null, to: "2027-01-01T00:00:00.000Z" } })).toEqual([
      { field: "expiresAt", before: null, after: "2027-01-01T00:00:00.000Z" },
    ]);
    expect(changeDiff({ email: "a@b.c", from: "viewer", to: "admin" })).toEqual([{ field: "value", before: "viewer", after: "admin" }]);
    expect(changeDiff({ trigger: "manual" })).toEqual([]);
    expect(changeDiff(null)).toEqual([]);
  });
});

describe("auditSearchText", () => {
  it("holds the sentence, label, action, actor and every detail value, without control characters", () => {
    const text = auditSearchText({ action: "connection.refresh", outcome: "failure", actorLabel: "system", detail: { name: "Desk\u0000EU", errorKind: "invalid_code", nested: { zohoCode: "INVALID_OAUTHTOKEN" } } });
    expect(text).toContain("Refresh failed: Zoho refused the refresh token (invalid_code)");
    expect(text).toContain("Token refresh connection.refresh system");
    expect(text).toContain("name Desk EU");
    expect(text).toContain("zohoCode INVALID_OAUTHTOKEN");
    expect(text).not.toMatch(/[\u0000-\u001F]/);
  });
});
