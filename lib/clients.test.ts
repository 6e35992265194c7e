import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ ZOHO_SANDBOX_URL: "http://127.0.0.1:4999" });
const clients = await import("./clients");
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");

const base = {
  name: "EU support",
  realm: "live" as const,
  clientType: "server" as const,
  clientId: "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ1234",
  clientSecret: "0123456789abcdef0123456789abcdef01234567ab",
  homeDc: "eu" as const,
  multiDc: true,
  enabledDcs: ["us", "in"] as ("us" | "in")[],
  description: "",
};

let adminId = 0;
beforeAll(() => {
  adminId = getDb().insert(schema.users).values({ email: "a@x.test", name: "A", passwordHash: "x", role: "admin" }).returning().get().id;
});
afterAll(() => tmp.cleanup());

describe("zoho clients", () => {
  it("stores the secret encrypted and exposes only its last four characters", () => {
    const c = clients.createClient(base, adminId);
    expect(c.secretMasked).toBe("••••67ab");
    expect(JSON.stringify(c)).not.toContain(base.clientSecret);
    const row = getDb().select().from(schema.zohoClients).all()[0];
    expect(row.secretEnc).not.toContain(base.clientSecret);
    expect(clients.getClientCredentials(c.id)?.clientSecret).toBe(base.clientSecret);
    expect(c.enabledDcs).toEqual(["eu", "us", "in"]);
  });

  it("refuses duplicate names and client ids at the right field", () => {
    expect(() => clients.createClient({ ...base, clientId: "1000.ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ" }, adminId)).toThrow(/already has this name/);
    expect(() => clients.createClient({ ...base, name: "Other" }, adminId)).toThrow(/already registered/);
  });

  it("never makes a self client multi-DC", () => {
    const c = clients.createClient({ ...base, name: "Self", clientType: "self", clientId: "1000.SELFSELFSELFSELFSELFSELFSELFSE" }, adminId);
    expect(c.multiDc).toBe(false);
    expect(c.enabledDcs).toEqual(["eu"]);
  });

  it("keeps the secret when an edit leaves it empty, and reports a replacement", () => {
    const c = clients.listClients().find((x) => x.name === "EU support")!;
    const kept = clients.updateClient(c.id, { ...base, clientSecret: undefined, description: "edited" });
    expect(kept.secretReplaced).toBe(false);
    expect(kept.changed).toEqual(["description"]);
    expect(clients.getClientCredentials(c.id)?.clientSecret).toBe(base.clientSecret);
    const replaced = clients.updateClient(c.id, { ...base, clientSecret: "ffffffffffffffffffffffffffffffffffffff9999", description: "edited" });
    expect(replaced.secretReplaced).toBe(true);
    expect(replaced.client.secretMasked).toBe("••••9999");
  });

  it("refuses to delete a client with live connections, and allows it once they are revoked", () => {
    const c = clients.listClients().find((x) => x.name === "EU support")!;
    getDb()
      .insert(schema.connections)
      .values({
        name: "desk",
        clientRef: c.id,
        accessType: "offline",
        location: "eu",
        accountsServer: "https://accounts.zoho.eu",
        apiDomain: "https://www.zohoapis.eu",
        scopesRequested: ["Desk.tickets.READ"],
        scopesGranted: ["Desk.tickets.READ"],
      })
      .run();
    expect(clients.getClient(c.id)?.connectionCount).toBe(1);
    expect(() => clients.updateClient(c.id, { ...base, realm: "sandbox", description: "edited" })).toThrow(/cannot change while 1 live connection uses/);
    expect(clients.updateClient(c.id, { ...base, enabledDcs: ["us"], description: "edited" }).changed).toEqual(["enabledDcs"]);
    expect(() => clients.deleteClient(c.id)).toThrow(/still has 1 live connection\. Revoke it first/);
    getDb().update(schema.connections).set({ revokedAt: new Date() }).run();
    expect(clients.deleteClient(c.id).name).toBe("EU support");
    expect(clients.getClient(c.id)).toBeUndefined();
  });
});
