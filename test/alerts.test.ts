/**
 * Alerts end to end below the UI: a connection breaks at the (in-process) Zoho sandbox, an
 * incident opens, the outbox's deliveries reach a local webhook receiver — verified with the
 * `standardwebhooks` package, an independent implementation — and a fake Slack; retries follow
 * their schedule; addresses inside the console's network are refused.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID } from "@/sandbox/seed";
import { importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";
import { startWorker } from "@/test/faults/support";

const h = await startSandboxHarness({ CONSOLE_ALERTS_ALLOWED_HOSTS: "127.0.0.1" });
const { dbm, schema, drizzle, engine } = await importTokenModules();
const destinations = await import("@/lib/alerts/destinations");
const dispatcher = await import("@/lib/alerts/dispatcher");
const deliveries = await import("@/lib/alerts/deliveries");
const incidentQueries = await import("@/lib/alerts/incident-queries");
const { UserError } = await import("@/lib/errors");

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A local receiver: answers each request with the next scripted status (then 200). */
async function receiver() {
  const got: Received[] = [];
  const script: { status: number; headers?: Record<string, string> }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      got.push({ path: req.url ?? "", headers: req.headers as Record<string, string>, body });
      const next = script.shift() ?? { status: 200 };
      res.writeHead(next.status, { "content-type": "text/plain", ...next.headers });
      res.end(next.status < 300 ? "ok" : "not now");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { got, script, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const hook = await receiver();
const slack = await receiver();
afterAll(async () => {
  await hook.close();
  await slack.close();
  await h.close();
});

const admin = { type: "user" as const, id: h.admin.id, label: h.admin.email };
const d = schema.alertDeliveries;
const db = () => dbm.getDb();

let secret = "";
beforeEach(async () => {
  await h.sandbox.admin("DELETE", "faults");
  await db().delete(schema.alertDestinations);
  hook.got.length = 0;
  slack.got.length = 0;
  hook.script.length = 0;
  const created = await destinations.createDestination(
    { name: "ops hook", kind: "webhook", url: `${hook.url}/zoho`, emails: [], events: [], clientId: null, connectionId: null },
    admin,
    null,
  );
  secret = created.secret!;
  await destinations.createDestination({ name: "ops slack", kind: "slack", url: `${slack.url}/services/T/B/X`, emails: [], events: [], clientId: null, connectionId: null }, admin, null);
});

const refresh = (id: number) => engine.refreshConnection(id, { trigger: "manual", actor: admin, ignoreBackoff: true }).catch(() => undefined);
const verified = (r: Received) => new Webhook(secret).verify(r.body, r.headers) as { type: string; data: Record<string, unknown> };

describe("an incident, its alerts and its resolution", () => {
  it("three temporary failures open one incident (one alert), a good refresh resolves it (one alert)", async () => {
    const id = await h.connect({ name: "desk-prod" });
    await h.sandbox.admin("POST", "faults", { token: { status: 502, count: 5 } });
    for (let i = 0; i < 2; i++) await refresh(id);
    await dispatcher.dispatchOnce();
    expect(hook.got).toHaveLength(0);
    for (let i = 0; i < 3; i++) await refresh(id);
    await dispatcher.dispatchOnce();
    // Opened on the third failure in a row; the two after it fold into the open incident.
    expect(hook.got.map((r) => verified(r).type)).toEqual(["connection.refresh_failed"]);
    const opened = verified(hook.got[0]).data as { kind: string; consecutive_failures: number; connection: { name: string }; incident: { transition: string } };
    expect(opened).toMatchObject({ kind: "temporary", consecutive_failures: 3, connection: { name: "desk-prod" }, incident: { transition: "opened" } });
    expect(slack.got).toHaveLength(1);
    const open = await incidentQueries.listIncidents({ connectionId: id });
    expect(open).toMatchObject([{ kind: "temporary", failures: 5, resolvedAt: null }]);

    await h.sandbox.admin("DELETE", "faults");
    await refresh(id);
    await dispatcher.dispatchOnce();
    expect(hook.got.map((r) => verified(r).type)).toEqual(["connection.refresh_failed", "connection.recovered"]);
    expect(slack.got).toHaveLength(2);
    expect(JSON.parse(slack.got[1].body).blocks.length).toBeGreaterThan(0);
    expect((await incidentQueries.listIncidents({ connectionId: id }))[0]).toMatchObject({ resolution: "refreshed" });
  });

  it("Zoho refusing the refresh token opens a terminal incident: one alert per destination for the step", async () => {
    const reauthOnly = await receiver();
    try {
      await destinations.createDestination(
        { name: "reauth only", kind: "webhook", url: `${reauthOnly.url}/r`, emails: [], events: ["connection.needs_reauth"], clientId: null, connectionId: null },
        admin,
        null,
      );
      const id = await h.connect({ name: "salesiq-eu", email: "ben@zylker.com" });
      await h.sandbox.admin("POST", "revoke-grants", { email: "ben@zylker.com", clientId: DEMO_CLIENT_ID });
      await refresh(id);
      await dispatcher.dispatchOnce();
      // A destination taking every event hears of the step once: the failure, terminal.
      expect(hook.got.map((r) => verified(r).type)).toEqual(["connection.refresh_failed"]);
      const failed = verified(hook.got[0]).data as { kind: string; reason: { action: string }; incident: { transition: string } };
      expect(failed).toMatchObject({ kind: "terminal", incident: { transition: "opened" } });
      expect(failed.reason.action).toMatch(/Reconnect/);
      // One that takes only needs_reauth hears of it that way.
      expect(reauthOnly.got.map((r) => JSON.parse(r.body).type)).toEqual(["connection.needs_reauth"]);
      expect(slack.got).toHaveLength(1);
      // Never a token in anything sent.
      expect([...hook.got, ...slack.got, ...reauthOnly.got].map((r) => r.body).join("")).not.toMatch(/1000\.[0-9a-f]{8}/);
    } finally {
      await reauthOnly.close();
    }
  });
});

describe("signatures", () => {
  it("verify with the Standard Webhooks package; a tampered body or a replay older than 5 minutes does not", async () => {
    const id = await h.connect();
    await engine.refreshConnection(id, { trigger: "manual", actor: admin });
    await h.sandbox.admin("POST", "revoke-grants", { email: "ada@zylker.com", clientId: DEMO_CLIENT_ID });
    await refresh(id);
    await dispatcher.dispatchOnce();
    const r = hook.got[0];
    expect(r.headers["webhook-id"]).toMatch(/^msg_/);
    expect(r.headers["webhook-signature"]).toMatch(/^v1,/);
    expect(() => verified(r)).not.toThrow();
    expect(() => new Webhook(secret).verify(r.body.replace("terminal", "temporary"), r.headers)).toThrow(/signature/i);
    const old = String(Math.floor(Date.now() / 1000) - 6 * 60);
    expect(() => new Webhook(secret).verify(r.body, { ...r.headers, "webhook-timestamp": old })).toThrow(/too old/i);
    // The signature by hand, as the specification defines it: HMAC-SHA256 of id.timestamp.body
    // under the base64 key after "whsec_".
    const expected = createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64"))
      .update(`${r.headers["webhook-id"]}.${r.headers["webhook-timestamp"]}.${r.body}`)
      .digest("base64");
    expect(r.headers["webhook-signature"].split(" ")).toContain(`v1,${expected}`);
  });

  it("after a rotation both the new and the old secret verify for a day", async () => {
    const [dest] = await destinations.listDestinations();
    const old = secret;
    const fresh = await destinations.rotateSecret(dest.id, admin, null);
    const result = await deliveries.sendTest(dest.id, admin, null);
    expect(result.delivered).toBe(true);
    const r = hook.got.at(-1)!;
    expect(r.headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => new Webhook(fresh).verify(r.body, r.headers)).not.toThrow();
    expect(() => new Webhook(old).verify(r.body, r.headers)).not.toThrow();
  });
});

describe("delivery that loses nothing", () => {
  const onlyDelivery = async () => (await db().select().from(d).orderBy(d.id)).at(-1)!;
  const makeDue = (deliveryId: number) => db().update(d).set({ nextAttemptAt: new Date(Date.now() - 1) }).where(drizzle.eq(d.id, deliveryId));

  it("retries a receiver that is down on its schedule, then delivers exactly once", async () => {
    const [dest] = (await destinations.listDestinations()).filter((x) => x.kind === "webhook");
    hook.script.push({ status: 503 }, { status: 500 });
    const test = await deliveries.sendTest(dest.id, admin, null);
    expect(test).toMatchObject({ delivered: false, status: 503 });
    let row = await onlyDelivery();
    expect(row).toMatchObject({ state: "pending", attempts: 1 });
    // First retry after 30 s, jittered down to no less than half.
    expect(row.nextAttemptAt.getTime() - row.firstAttemptAt!.getTime()).toBeGreaterThanOrEqual(15_000);
    expect(await dispatcher.dispatchOnce()).toBe(0); // not due yet: nothing sent
    await makeDue(row.id);
    await dispatcher.dispatchOnce();
    row = await onlyDelivery();
    expect(row).toMatchObject({ state: "pending", attempts: 2, lastStatus: 500 });
    await makeDue(row.id);
    await dispatcher.dispatchOnce();
    await dispatcher.dispatchOnce();
    row = await onlyDelivery();
    expect(row).toMatchObject({ state: "delivered", attempts: 3, lastStatus: 200 });
    expect(hook.got.filter((r) => r.headers["webhook-id"] === hook.got[0].headers["webhook-id"])).toHaveLength(3);
    expect(await deliveries.listAttempts(row.id)).toHaveLength(3);
  });

  it.each([2, 120])("honours Retry-After: %i s on a 429", async (seconds) => {
    const [dest] = (await destinations.listDestinations()).filter((x) => x.kind === "webhook");
    hook.script.push({ status: 429, headers: { "Retry-After": String(seconds) } });
    await deliveries.sendTest(dest.id, admin, null);
    const row = await onlyDelivery();
    expect(row.state).toBe("pending");
    expect(row.nextAttemptAt.getTime() - row.firstAttemptAt!.getTime()).toBeGreaterThanOrEqual(seconds * 1000);
  });

  it("gives up on other 4xx at once", async () => {
    const [dest] = (await destinations.listDestinations()).filter((x) => x.kind === "webhook");
    hook.script.push({ status: 410 });
    await deliveries.sendTest(dest.id, admin, null);
    expect(await onlyDelivery()).toMatchObject({ state: "failed", attempts: 1, lastStatus: 410 });
  });

  it("sends an alert written by a console that stopped before sending it", async () => {
    const id = await h.connect({ name: "written-then-died" });
    await h.sandbox.admin("POST", "revoke-grants", { email: "ada@zylker.com", clientId: DEMO_CLIENT_ID });
    // Another console process makes the change and ends (its refresh fails, as Zoho refuses);
    // it never sends: no dispatcher runs there.
    const worker = startWorker({ kind: "refresh", id });
    expect(await worker.exited).toBe(1);
    const [row] = await db().select().from(schema.connections).where(drizzle.eq(schema.connections.id, id));
    expect(row.reauthReason).not.toBeNull();
    const pending = await db().select().from(d).where(drizzle.eq(d.state, "pending"));
    expect(pending.length).toBeGreaterThanOrEqual(2);
    expect(hook.got).toHaveLength(0);
    await dispatcher.dispatchOnce();
    expect(hook.got.map(verified).map((e) => e.type)).toEqual(["connection.refresh_failed"]);
    expect(slack.got).toHaveLength(1);
  });

  it("replays a delivery with the same webhook-id", async () => {
    const [dest] = (await destinations.listDestinations()).filter((x) => x.kind === "webhook");
    await deliveries.sendTest(dest.id, admin, null);
    const first = await onlyDelivery();
    await deliveries.replayDelivery(first.id, admin, null);
    await dispatcher.dispatchOnce();
    expect(hook.got).toHaveLength(2);
    expect(hook.got[1].headers["webhook-id"]).toBe(hook.got[0].headers["webhook-id"]);
  });
});

describe("no alert reaches the console's own network", () => {
  it.each([
    ["https://169.254.169.254/latest/meta-data", /169\.254\.169\.254 is a link-local address/],
    ["https://10.0.0.7/hook", /10\.0\.0\.7 is a private address/],
    ["https://192.168.1.10/x", /private/],
    ["https://[::1]:8443/x", /loopback/],
    ["https://localhost/x", /loopback/],
    ["http://hooks.example.com/x", /must use https/],
  ])("refuses %s at save, saying why", async (url, why) => {
    const save = destinations.createDestination({ name: "x", kind: "webhook", url, emails: [], events: [], clientId: null, connectionId: null }, admin, null);
    await expect(save).rejects.toBeInstanceOf(UserError);
    await expect(save).rejects.toThrow(why);
  });

  it("refuses at send a stored URL that points inside (the allow-list changed since, or the row was edited)", async () => {
    const { id } = await destinations.createDestination({ name: "meta", kind: "slack", url: `${slack.url}/x`, emails: [], events: [], clientId: null, connectionId: null }, admin, null);
    const { encryptSecret, secretPlace } = await import("@/lib/secrets");
    await db()
      .update(schema.alertDestinations)
      .set({ urlEnc: encryptSecret("https://169.254.169.254/latest/meta-data", secretPlace.alertUrl(id)) })
      .where(drizzle.eq(schema.alertDestinations.id, id));
    const result = await deliveries.sendTest(id, admin, null);
    expect(result.delivered).toBe(false);
    expect(result.error).toMatch(/169\.254\.169\.254.*link-local/);
  });
});
