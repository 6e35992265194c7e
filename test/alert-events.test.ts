/**
 * The alert events no single refresh makes: e-mail through a local SMTP server, a client secret
 * Zoho refuses (said once), expiring API keys, the daily digest (once a day, and nothing when
 * there is nothing to say), and a destination paused after failing for three days.
 */
import { simpleParser } from "mailparser";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID } from "@/sandbox/seed";
import { importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";

const mails: { to: string[]; subject: string; text: string; html: string }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  onData(stream, session, done) {
    simpleParser(stream)
      .then((m) => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: m.subject ?? "", text: m.text ?? "", html: typeof m.html === "string" ? m.html : "" });
        done();
      })
      .catch(done);
  },
});
await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
const smtpPort = (smtp.server.address() as AddressInfo).port;

// The digest hour is the hour of NOW in the console's zone; the digest is asked for at NOW.
const NOW = Date.now();
const { localDateHour } = await import("@/lib/alerts/scheduled-events");
const h = await startSandboxHarness({ CONSOLE_ALERTS_ALLOWED_HOSTS: "127.0.0.1", SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, CONSOLE_DIGEST_HOUR: String(localDateHour(NOW).hour) });
const { dbm, schema, drizzle, engine } = await importTokenModules();
const destinations = await import("@/lib/alerts/destinations");
const dispatcher = await import("@/lib/alerts/dispatcher");
const scheduled = await import("@/lib/alerts/scheduled-events");
const keys = await import("@/lib/api-keys/store");
const deliveries = await import("@/lib/alerts/deliveries");
afterAll(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  await h.close();
});

const admin = { type: "user" as const, id: h.admin.id, label: h.admin.email };
const db = () => dbm.getDb();
const events = async (type: string) => db().select().from(schema.alertEvents).where(drizzle.eq(schema.alertEvents.type, type));

beforeEach(async () => {
  mails.length = 0;
  await db().delete(schema.alertDestinations);
  await db().delete(schema.alertEvents);
  await h.sandbox.admin("DELETE", "faults");
  await destinations.createDestination({ name: "on-call mail", kind: "email", url: "", emails: ["oncall@example.com", "lead@example.com"], events: [], clientId: null, connectionId: null }, admin, null);
});

describe("e-mail", () => {
  it("mails an opened incident to every recipient, in text and HTML, naming the connection and what to do", async () => {
    const id = await h.connect({ name: "desk-billing", email: "ben@zylker.com" });
    await h.sandbox.admin("POST", "revoke-grants", { email: "ben@zylker.com", clientId: DEMO_CLIENT_ID });
    await engine.refreshConnection(id, { trigger: "manual", actor: admin }).catch(() => undefined);
    await dispatcher.dispatchOnce();
    expect(mails).toHaveLength(1);
    expect(mails[0].to.sort()).toEqual(["lead@example.com", "oncall@example.com"]);
    expect(mails[0].subject).toContain("desk-billing");
    expect(mails[0].text).toMatch(/Reconnect/);
    expect(mails[0].html).toContain(`/connections/${id}`);
  });
});

describe("a client secret Zoho refuses", () => {
  it("is said once for the client, however many of its connections fail on it", async () => {
    const a = await h.connect();
    const b = await h.connect();
    await h.sandbox.admin("PATCH", `clients/${DEMO_CLIENT_ID}`, { clientSecret: "rotated-at-zoho-0000000000000000" });
    try {
      for (const id of [a, b, a]) await engine.refreshConnection(id, { trigger: "manual", actor: admin, ignoreBackoff: true }).catch(() => undefined);
      const said = await events("client.secret_rejected");
      expect(said).toHaveLength(1);
      expect(said[0].payload).toMatchObject({ data: { reason: { code: "invalid_client_secret" } } });
    } finally {
      const { DEMO_CLIENT_SECRET } = await import("@/sandbox/seed");
      await h.sandbox.admin("PATCH", `clients/${DEMO_CLIENT_ID}`, { clientSecret: DEMO_CLIENT_SECRET });
    }
  });
});

describe("scheduled events", () => {
  it("announces a key expiring within 7 days once, and not one expiring later", async () => {
    await keys.createApiKey({ name: "soon", scope: "all", connectionIds: [], permissions: ["token"], expiresAt: new Date(Date.now() + 3 * 86_400_000), rateLimitPerMinute: null }, admin, null);
    await keys.createApiKey({ name: "later", scope: "all", connectionIds: [], permissions: ["token"], expiresAt: new Date(Date.now() + 30 * 86_400_000), rateLimitPerMinute: null }, admin, null);
    expect(await scheduled.announceExpiringKeys()).toBe(1);
    expect(await scheduled.announceExpiringKeys()).toBe(0);
    const [said] = await events("api_key.expiring");
    expect(said.payload).toMatchObject({ data: { api_key: { name: "soon" } } });
  });

  it("sends the digest once a day at the configured hour, and nothing when there is nothing to say", async () => {
    await db().delete(schema.scheduledRuns);
    // Every connection healthy and no key expiring: nothing to say.
    await db().update(schema.connections).set({ revokedAt: new Date() });
    await db().delete(schema.apiKeys);
    await db().delete(schema.incidents);
    expect(await scheduled.sendDigestIfDue(NOW)).toBe("nothing");
    expect(await events("digest.daily")).toHaveLength(0);
    // The day counts as done even so: a connection failing later waits for tomorrow's digest.
    await db().delete(schema.scheduledRuns);

    const id = await h.connect({ name: "needs-care" });
    await db().update(schema.connections).set({ reauthReason: "invalid_code", reauthAt: new Date() }).where(drizzle.eq(schema.connections.id, id));
    expect(await scheduled.sendDigestIfDue(NOW)).toBe("sent");
    expect(await scheduled.sendDigestIfDue(NOW)).toBe("already_sent");
    expect(await scheduled.sendDigestIfDue(NOW + 3_600_000)).toBe("not_due");
    const [digest] = await events("digest.daily");
    expect(digest.payload).toMatchObject({ data: { connections_needing_attention: [expect.objectContaining({ name: "needs-care" })] } });
    await dispatcher.dispatchOnce();
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/digest/i)]);
    expect(mails[0].text).toContain("needs-care");
  });
});

describe("a destination failing for three days", () => {
  const deadHook = () =>
    destinations.createDestination({ name: "dead hook", kind: "webhook", url: "http://127.0.0.1:9/nothing-listens", emails: [], events: [], clientId: null, connectionId: null }, admin, null);
  const row = async (id: number) => (await db().select().from(schema.alertDestinations).where(drizzle.eq(schema.alertDestinations.id, id)))[0];
  it("is paused after an unbroken run of failures, with an audit row; what waits goes out once resumed", async () => {
    const { id } = await deadHook();
    // Failing since three days ago, the last failure an hour ago: the run is unbroken.
    const dst = schema.alertDestinations;
    await db().update(dst).set({ failingSince: new Date(Date.now() - 3 * 86_400_000 - 1000), lastFailureAt: new Date(Date.now() - 3_600_000) }).where(drizzle.eq(dst.id, id));
    await deliveries.sendTest(id, admin, null);
    const paused = await row(id);
    expect(paused.pausedAt).not.toBeNull();
    expect(paused.pauseReason).toMatch(/3 days/);
    expect(await db().select().from(schema.auditEvents).where(drizzle.eq(schema.auditEvents.action, "alert.destination_pause"))).toHaveLength(1);

    // While paused, events still queue for it (nothing is lost), and the dispatcher leaves them.
    const id2 = await h.connect({ name: "during-pause" });
    await db().delete(schema.alertDeliveries).where(drizzle.eq(schema.alertDeliveries.destinationRef, id));
    await h.sandbox.admin("POST", "revoke-grants", { email: "ada@zylker.com", clientId: DEMO_CLIENT_ID });
    await engine.refreshConnection(id2, { trigger: "manual", actor: admin }).catch(() => undefined);
    const waiting = () => db().select().from(schema.alertDeliveries).where(drizzle.eq(schema.alertDeliveries.destinationRef, id));
    expect((await waiting()).map((w) => w.state)).toEqual(["pending"]);
    await dispatcher.dispatchOnce();
    expect((await waiting())[0].attempts).toBe(0);

    await destinations.resumeDestination(id, admin, null);
    const resumed = await row(id);
    expect([resumed.pausedAt, resumed.failingSince]).toEqual([null, null]);
    await dispatcher.dispatchOnce();
    expect((await waiting())[0].attempts).toBe(1);
  });

  it("is not paused by one failure after a long quiet spell: the run starts again", async () => {
    const { id } = await deadHook();
    const dst = schema.alertDestinations;
    await db().update(dst).set({ failingSince: new Date(Date.now() - 4 * 86_400_000), lastFailureAt: new Date(Date.now() - 2 * 86_400_000) }).where(drizzle.eq(dst.id, id));
    await deliveries.sendTest(id, admin, null);
    const after = await row(id);
    expect(after.pausedAt).toBeNull();
    expect(after.failingSince!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});
