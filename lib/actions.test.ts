import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

// The action frame without next-auth's runtime: the signed-in user is given here.
vi.mock("@/lib/auth/session", () => ({
  AuthorizationError: class extends Error {},
  authorize: async () => ({ id: 1, email: "ops@x.test", name: "Ops", role: "admin" }),
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));
const { echoValues, guardedAction } = await import("./actions");
const { requestContext } = await import("./log");

describe("form values echoed back after a failed action", () => {
  it("keep what was typed but never a password, confirmation, secret, token, code or a destination URL", () => {
    const form = new FormData();
    const typed = { name: "Ops", email: "a@x.test", currentPassword: "old-secret-1", password: "p", confirm: "p", clientSecret: "s", code: "c", newPassword: "n", url: "https://hooks.slack.com/services/T/B/secret" };
    for (const [k, v] of Object.entries(typed)) form.set(k, v);
    expect(echoValues(form)).toEqual({ name: "Ops", email: "a@x.test" });
  });
});

// That every server action runs through guardedAction at all is the lint rule
// console/guarded-actions (eslint-rules/guarded-actions.mjs, proved in test/lint-rules.test.ts).
describe("guardedAction", () => {
  it("runs each action under a request id of its own, so all its log lines can be found together", async () => {
    const seen: (string | undefined)[] = [];
    const run = async () => {
      seen.push(requestContext()?.requestId);
      return { ok: true as const };
    };
    for (let i = 0; i < 2; i++) await guardedAction("console:view", "test.action", z.object({}), {}, run);
    expect(seen[0]).toMatch(/^action-[0-9a-f-]{36}$/);
    expect(seen[1]).toMatch(/^action-[0-9a-f-]{36}$/);
    expect(seen[1]).not.toBe(seen[0]);
  });
});
