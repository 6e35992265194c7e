import { describe, expect, it } from "vitest";
import { createLinkSchema, LINK_LIFETIME_MINUTES, reconnectLinkSchema } from "./input";

const form = { clientRef: "3", scopes: "Desk.tickets.READ, Desk.basic.READ", accessType: "offline", name: "Acme Desk" };
const problems = (input: Record<string, unknown>) => {
  const parsed = createLinkSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("the connect link form", () => {
  it("takes 72 hours when no lifetime is given, and always asks for the profile scope", () => {
    const v = createLinkSchema.parse({ ...form, lifetimeMinutes: "" });
    expect(v.lifetimeMinutes).toBe(LINK_LIFETIME_MINUTES.default);
    expect(v.lifetimeMinutes).toBe(72 * 60);
    expect(v.scopes).toEqual(["Desk.tickets.READ", "Desk.basic.READ", "AaaServer.profile.READ"]);
    expect(v.expectedEmail).toBeUndefined();
    expect(v.startLocation).toBeUndefined();
  });

  it("accepts lifetimes from 30 minutes to 7 days and refuses the rest with a clear message", () => {
    expect(createLinkSchema.parse({ ...form, lifetimeMinutes: "30" }).lifetimeMinutes).toBe(30);
    expect(createLinkSchema.parse({ ...form, lifetimeMinutes: 7 * 24 * 60 }).lifetimeMinutes).toBe(10_080);
    expect(problems({ ...form, lifetimeMinutes: "29" })).toEqual(["lifetimeMinutes: A link must stay valid for at least 30 minutes"]);
    expect(problems({ ...form, lifetimeMinutes: "10081" })).toEqual(["lifetimeMinutes: A link can stay valid for at most 7 days"]);
    expect(problems({ ...form, lifetimeMinutes: "45.5" })).toEqual(["lifetimeMinutes: Give the lifetime in whole minutes"]);
    expect(problems({ ...form, lifetimeMinutes: "soon" })).toHaveLength(1);
    expect(reconnectLinkSchema.safeParse({ connectionId: 1, lifetimeMinutes: 5 }).success).toBe(false);
  });

  it("validates scopes as the console's own connect form does", () => {
    expect(problems({ ...form, scopes: "Desk.tickets.READ, not a scope" })[0]).toMatch(/Not a Zoho scope/);
    expect(problems({ ...form, scopes: "AaaServer.profile.READ" })).toEqual(["scopes: Choose at least one Desk, Assist or SalesIQ scope"]);
  });

  it("keeps an expected e-mail in lower case, and refuses one that is not an address", () => {
    expect(createLinkSchema.parse({ ...form, expectedEmail: "  Owner@Example.COM " }).expectedEmail).toBe("owner@example.com");
    expect(createLinkSchema.parse({ ...form, expectedEmail: "  " }).expectedEmail).toBeUndefined();
    expect(problems({ ...form, expectedEmail: "owner" })[0]).toMatch(/^expectedEmail: Enter the Zoho user's e-mail/);
  });

  it("takes only known data centres and access types", () => {
    expect(createLinkSchema.parse({ ...form, startLocation: "eu" }).startLocation).toBe("eu");
    // The form's "let the console decide" option.
    expect(createLinkSchema.parse({ ...form, startLocation: "" }).startLocation).toBeUndefined();
    expect(problems({ ...form, startLocation: "mars" })).toEqual(["startLocation: Choose the data centre where consent starts"]);
    expect(problems({ ...form, accessType: "forever" })).toEqual(["accessType: Choose offline or online"]);
  });
});
