import { describe, expect, it, vi } from "vitest";

const session = vi.hoisted(() => ({ state: "viewer" as "viewer" | "signed_out" | "forbidden" }));
vi.mock("@/lib/auth/session", () => {
  class AuthorizationError extends Error {
    constructor(readonly reason: "signed_out" | "forbidden") {
      super(reason === "signed_out" ? "Sign in to continue." : "Your role does not allow this action.");
    }
  }
  return {
    AuthorizationError,
    authorize: async () => {
      if (session.state !== "viewer") throw new AuthorizationError(session.state);
      return { id: 4, email: "ops@x.test", name: "Ops", role: "viewer" };
    },
  };
});
const { viewerOrRefusal } = await import("./viewer-route");

// One check for the routes a signed-in browser calls: /api/connections (list, one, version, and
// the key form's choices), /api/connect-links, /api/search and the audit CSV export.
describe("viewerOrRefusal", () => {
  it("gives the route the signed-in user, for its audit row", async () => {
    session.state = "viewer";
    expect(await viewerOrRefusal()).toMatchObject({ id: 4, email: "ops@x.test" });
  });

  it("answers 401 in JSON to a browser that is signed out, and 403 to a role that may not view", async () => {
    session.state = "signed_out";
    const out = await viewerOrRefusal();
    expect(out).toBeInstanceOf(Response);
    expect((out as Response).status).toBe(401);
    expect(await (out as Response).json()).toEqual({ error: "Sign in to continue." });
    session.state = "forbidden";
    expect(((await viewerOrRefusal()) as Response).status).toBe(403);
  });
});
