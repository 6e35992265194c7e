import { describe, expect, it, vi } from "vitest";

// Only the pure echo is under test: the session module pulls in next-auth's server runtime.
vi.mock("@/lib/auth/session", () => ({}));
const { echoValues } = await import("./actions");

describe("form values echoed back after a failed action", () => {
  it("keep what was typed but never a password, confirmation, secret, token or code", () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ name: "Ops", email: "a@x.test", currentPassword: "old-secret-1", password: "p", confirm: "p", clientSecret: "s", code: "c", newPassword: "n" })) form.set(k, v);
    expect(echoValues(form)).toEqual({ name: "Ops", email: "a@x.test" });
  });
});
