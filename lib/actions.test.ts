import { afterAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { setupTempDatabase } from "@/test/temp-db";

// The action frame without next-auth's runtime: the signed-in user is given here, or refused.
const session = vi.hoisted(() => ({ refuse: false }));
vi.mock("@/lib/auth/session", () => {
  class AuthorizationError extends Error {
    constructor(
      readonly reason: "signed_out" | "forbidden",
      readonly user?: { id: number; email: string; name: string; role: string },
    ) {
      super("Your role does not allow this action.");
    }
  }
  const user = { id: 1, email: "ops@x.test", name: "Ops", role: "viewer" };
  return {
    AuthorizationError,
    authorize: async () => {
      if (session.refuse) throw new AuthorizationError("forbidden", user);
      return user;
    },
  };
});
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));
// Next's redirect() throws to leave the action; so does this one, with where it was sent.
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`redirect:${to}`);
  },
}));
const tmp = setupTempDatabase();
const { guardedAction, targetOf } = await import("./actions");
const { requestContext } = await import("./log");
const { TokenError } = await import("./tokens/errors");
const { getDb } = await import("@/db/client");
const { auditEvents } = await import("@/db/schema");
afterAll(() => tmp.cleanup());

describe("a failed action's answer", () => {
  it("never hands the input back: the form keeps what was typed, and no secret travels twice", async () => {
    const form = new FormData();
    const typed = { name: "Ops", clientSecret: "typed-secret-1", url: "https://hooks.slack.com/services/T/B/typed-secret-2" };
    for (const [k, v] of Object.entries(typed)) form.set(k, v);
    const schema = z.object({ name: z.string().min(5, "Use at least 5 characters"), clientSecret: z.string(), url: z.string() });
    const result = await guardedAction("console:view", "client.update", schema, form, async () => ({ ok: true }));
    expect(result).toEqual({ ok: false, error: "Some fields need attention.", fieldErrors: { name: "Use at least 5 characters" } });
    expect(JSON.stringify(result)).not.toMatch(/typed-secret/);
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
    for (let i = 0; i < 2; i++) await guardedAction("console:view", "audit.export", z.object({}), {}, run);
    expect(seen[0]).toMatch(/^action-[0-9a-f-]{36}$/);
    expect(seen[1]).toMatch(/^action-[0-9a-f-]{36}$/);
    expect(seen[1]).not.toBe(seen[0]);
  });
});

describe("guardedAction's common work", () => {
  it("shows a TokenError as it shows a UserError, with its advice", async () => {
    const form = new FormData();
    form.set("connectionId", "3");
    const result = await guardedAction("console:view", "connection.refresh", z.object({ connectionId: z.string() }), form, async () => {
      throw new TokenError("revoked", "This connection was revoked.", { advice: "Connect it again." });
    });
    expect(result).toEqual({ ok: false, error: "This connection was revoked. Connect it again." });
  });

  it("redirects a success that asks to, after the action ran, and never a failure", async () => {
    const ran: string[] = [];
    const go = guardedAction("console:view", "connection.authorize_start", z.object({}), {}, async () => {
      ran.push("audited");
      return { ok: true, redirect: "https://accounts.zoho.com/oauth/v2/auth?x=1" };
    });
    await expect(go).rejects.toThrow("redirect:https://accounts.zoho.com/oauth/v2/auth?x=1");
    expect(ran).toEqual(["audited"]);
    const failed = await guardedAction("console:view", "connection.authorize_start", z.object({}), {}, async () => ({ ok: false, error: "No." }));
    expect(failed).toMatchObject({ ok: false, error: "No." });
  });
});

describe("a refused action", () => {
  it("posted 200 times, each naming another target, adds one counted row", async () => {
    session.refuse = true;
    // One minute's worth: a real clock could cross into the next minute midway.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.UTC(2026, 5, 1, 12, 0, 5));
    try {
      for (let i = 0; i < 200; i++) {
        const form = new FormData();
        form.set("id", String(1000 + i));
        const result = await guardedAction("clients:manage", "client.delete", z.object({}), form, async () => ({ ok: true }));
        expect(result).toEqual({ ok: false, error: "Your role does not allow this action." });
      }
    } finally {
      session.refuse = false;
      vi.useRealTimers();
    }
    const rows = await getDb().select().from(auditEvents);
    expect(rows.map((r) => [r.actorId, r.action, r.outcome, r.targetType, r.targetId, r.repeatCount])).toEqual([["1", "client.delete", "denied", "client", "1000", 200]]);
  });

  it("files its target under the type its action acts on, so the row links to it", () => {
    expect(targetOf("client.delete", { id: 3 })).toEqual({ type: "client", id: "3" });
    expect(targetOf("api_key.revoke", { id: "4" })).toEqual({ type: "api_key", id: "4" });
    expect(targetOf("connect_link.revoke", { id: 5 })).toEqual({ type: "connect_link", id: "5" });
    expect(targetOf("user.delete", { id: 6 })).toEqual({ type: "user", id: "6" });
    expect(targetOf("alert.destination_delete", { id: 7 })).toEqual({ type: "alert_destination", id: "7" });
    expect(targetOf("connection.bind", { connectionId: 8 })).toEqual({ type: "connection", id: "8" });
    expect(targetOf("audit.export", { id: 9 })).toEqual({ type: "record", id: "9" });
    expect(targetOf("client.update", {})).toBeUndefined();
  });
});
