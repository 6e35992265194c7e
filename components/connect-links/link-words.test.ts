import { describe, expect, it } from "vitest";
import { LINK_LIFETIME_MINUTES } from "@/lib/connect-links/input";
import { FLOW_FAILURES } from "@/lib/authorization/failures";
import { ZOHO_ERROR_KINDS } from "@/lib/zoho";
import { compactScopes, DEFAULT_LIFETIME_MINUTES, failureText, isOpenLinkState, LIFETIME_CHOICES, LINK_STATES, linkEnd, linkOutcomeText } from "./link-words";

// view.ts is server-only; the stub lets the test compare the browser's copy with it.
const { LINK_STATE_LABELS, OPEN_STATES } = await import("@/lib/connect-links/view");

describe("the browser's words for links", () => {
  it("label every state as lib/connect-links does, and call the same states open", () => {
    const states = Object.keys(LINK_STATE_LABELS) as (keyof typeof LINK_STATE_LABELS)[];
    expect(Object.keys(LINK_STATES).sort()).toEqual([...states].sort());
    for (const state of states) {
      expect(LINK_STATES[state].label).toBe(LINK_STATE_LABELS[state]);
      expect(isOpenLinkState(state)).toBe((OPEN_STATES as readonly string[]).includes(state));
    }
  });

  it("offer lifetimes the schema accepts, its default among them", () => {
    for (const c of LIFETIME_CHOICES) {
      expect(c.minutes).toBeGreaterThanOrEqual(LINK_LIFETIME_MINUTES.min);
      expect(c.minutes).toBeLessThanOrEqual(LINK_LIFETIME_MINUTES.max);
    }
    expect(DEFAULT_LIFETIME_MINUTES).toBe(LINK_LIFETIME_MINUTES.default);
    expect(LIFETIME_CHOICES.map((c) => c.minutes)).toEqual([30, 60, 240, 1440, 4320, 10080]);
  });
});

describe("failureText", () => {
  // Codes that refuse a callback without ending the link as failed, or belong to console users' own flows.
  const neverEndsALink = new Set(["missing_state", "unknown_state", "used_state", "other_user", "signed_out", "forbidden", "link_browser_mismatch"]);
  const generic = failureText("something_new");

  it("has its own words for every failure that can end a link", () => {
    for (const code of FLOW_FAILURES.filter((c) => !neverEndsALink.has(c))) expect(failureText(code), code).not.toBe(generic);
    for (const kind of ["invalid_code", "invalid_client", "invalid_client_secret", "invalid_redirect_uri", "throttled", "network", "timeout", "server", "malformed"]) {
      expect(ZOHO_ERROR_KINDS).toContain(kind);
      expect(failureText(`zoho_${kind}`), kind).not.toMatch(/^Zoho answered with an error/);
    }
  });

  it("says plainly when it cannot tell", () => {
    expect(failureText(null)).toBe("The reason was not recorded.");
    expect(failureText("zoho_other")).toBe("Zoho answered with an error.");
    expect(generic).toBe("The consent did not finish.");
  });
});

describe("linkOutcomeText", () => {
  const base = { stateReason: null, openedAt: null, consentStartedAt: null, revokedBy: null };
  it("says how far an expired link got, from what happened", () => {
    expect(linkOutcomeText({ ...base, state: "expired" })).toBe("Expired before anyone opened it.");
    expect(linkOutcomeText({ ...base, state: "expired", openedAt: 1 })).toMatch(/after it was opened/);
    expect(linkOutcomeText({ ...base, state: "expired", openedAt: 1, consentStartedAt: 2 })).toMatch(/consent at Zoho was unfinished/);
  });
  it("tells a replaced link from a revoked one", () => {
    expect(linkOutcomeText({ ...base, state: "revoked", stateReason: "issued_again", revokedBy: "Olga" })).toBe("Replaced by a new link (Issue again by Olga).");
    expect(linkOutcomeText({ ...base, state: "revoked", stateReason: "revoked", revokedBy: "Olga" })).toBe("Revoked by Olga.");
  });
  it("gives a failed link's reason and nothing for the others", () => {
    expect(linkOutcomeText({ ...base, state: "failed", stateReason: "access_denied" })).toMatch(/chose Deny/);
    expect(linkOutcomeText({ ...base, state: "completed" })).toBeNull();
    expect(linkOutcomeText({ ...base, state: "waiting" })).toBeNull();
  });
});

describe("linkEnd", () => {
  const link = { expiresAt: 100, completedAt: 50, revokedAt: 60 };
  it("shows the expiry of an open link and when an ended one ended", () => {
    expect(linkEnd({ ...link, state: "opened" })).toEqual({ label: "Expires", at: 100 });
    expect(linkEnd({ ...link, state: "completed" })).toEqual({ label: "Completed", at: 50 });
    expect(linkEnd({ ...link, state: "revoked" })).toEqual({ label: "Revoked", at: 60 });
    expect(linkEnd({ ...link, state: "expired" })).toEqual({ label: "Expired", at: 100 });
  });
});

describe("compactScopes", () => {
  it("names the services and leaves out the profile scope every link carries", () => {
    expect(compactScopes(["Desk.tickets.READ", "SalesIQ.portals.READ", "AaaServer.profile.READ"])).toEqual({
      services: "Desk, SalesIQ",
      scopes: ["Desk.tickets.READ", "SalesIQ.portals.READ"],
    });
  });
});
