import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

// A local SMTP server, started before the configuration is read so SMTP_URL can name it.
const received: ParsedMail[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, _session, cb) {
    simpleParser(stream)
      .then((mail) => {
        received.push(mail);
        cb();
      })
      .catch(cb);
  },
});
await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
const port = (smtp.server.address() as AddressInfo).port;

const tmp = setupTempDatabase({ CONSOLE_PUBLIC_URL: "https://console.example.com", SMTP_URL: `smtp://127.0.0.1:${port}` });
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { createClient } = await import("@/lib/clients");
const { UserError } = await import("@/lib/errors");
const { createLinkSchema } = await import("./input");
const { createLink, revokeLink } = await import("./links");
const { composeLinkEmail, expiryText, linkTokenFromUrl, sendLinkByEmail, sendLinkEmailSchema, LINK_EMAILS_PER_MINUTE } = await import("./email");
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(resolve));
  tmp.cleanup();
});

const db = getDb();
const [user] = await db.insert(schema.users).values({ email: "op@console.test", name: "Olga Operator", passwordHash: "x", role: "operator" }).returning();
const sender = { id: user.id, email: user.email, name: user.name };
const client = await createClient(
  {
    name: "Acme Desk client",
    realm: "live",
    clientType: "server",
    clientId: "1000.MAILMAILMAILMAILMAILMAILMAILMAIL",
    clientSecret: "s".repeat(42),
    description: "",
    homeDc: "eu",
    multiDc: true,
    enabledDcs: ["us", "eu"],
  },
  user.id,
);
const makeLink = (over: Record<string, unknown> = {}) =>
  createLink(createLinkSchema.parse({ clientRef: client.id, scopes: "Desk.tickets.READ", name: "Acme Desk", expectedEmail: "owner@acme.example", ...over }), sender, "10.0.0.1");
const send = (id: number, url: string, by = sender) => sendLinkByEmail(sendLinkEmailSchema.parse({ id, url, to: "Owner@Acme.example" }), by);
const everything = async () => JSON.stringify([await db.select().from(schema.connectLinks), await db.select().from(schema.auditEvents)]);

const BASE = "https://console.example.com";
const TOKEN = "A".repeat(21) + "b-_9".repeat(5) + "zz";

describe("linkTokenFromUrl", () => {
  it("takes exactly <public URL>/connect/<43 base64url characters>", () => {
    expect(TOKEN).toHaveLength(43);
    expect(linkTokenFromUrl(`${BASE}/connect/${TOKEN}`, BASE)).toBe(TOKEN);
    expect(linkTokenFromUrl(`${BASE}/connect/${TOKEN}`, `${BASE}/`)).toBe(TOKEN);
  });

  it.each([
    ["another host", `https://evil.example/connect/${TOKEN}`],
    ["a host that only starts like ours", `https://console.example.com.evil.example/connect/${TOKEN}`],
    ["plain http", `http://console.example.com/connect/${TOKEN}`],
    ["a shorter token", `${BASE}/connect/${TOKEN.slice(1)}`],
    ["a longer token", `${BASE}/connect/${TOKEN}x`],
    ["a trailing slash", `${BASE}/connect/${TOKEN}/`],
    ["a query", `${BASE}/connect/${TOKEN}?x=1`],
    ["a fragment", `${BASE}/connect/${TOKEN}#x`],
    ["a line break", `${BASE}/connect/${TOKEN}\n`],
    ["another path", `${BASE}/connections/${TOKEN}`],
    ["a climb", `${BASE}/connect/../${TOKEN.slice(3)}`],
    ["other characters", `${BASE}/connect/${TOKEN.slice(1)}=`],
    ["nothing", ""],
  ])("refuses %s", (_what, url) => {
    expect(linkTokenFromUrl(url, BASE)).toBeNull();
  });
});

describe("composeLinkEmail", () => {
  const now = Date.UTC(2026, 11, 7, 9, 0);
  const facts = {
    kind: "new" as const,
    requestedBy: "Olga Operator",
    senderEmail: "op@console.test",
    clientName: "Acme Desk client",
    connectionName: "Acme Desk",
    scopes: ["Desk.tickets.READ", "AaaServer.profile.READ"],
    accessType: "offline" as const,
    expectedEmail: "owner@acme.example",
    url: `${BASE}/connect/${TOKEN}`,
    expiresAt: now + 72 * 3_600_000,
  };

  it("says who asks, through which client, for what, the link and until when", () => {
    const m = composeLinkEmail(facts, now);
    expect(m.subject).toBe("Olga Operator asks for access to your Zoho account");
    expect(m.text).toContain("Olga Operator (op@console.test) asks for access to your Zoho account, through their Zoho client “Acme Desk client”");
    expect(m.text).toContain("Zoho Desk");
    expect(m.text).toContain("[Desk.tickets.READ]");
    expect(m.text).toContain(`\n${BASE}/connect/${TOKEN}\n`);
    expect(m.text).toContain("until 10 Dec 2026, 09:00 UTC (in 3 d)");
    expect(m.text).toContain("Sign in at Zoho as owner@acme.example");
    expect(m.html).toContain(`<a href="${BASE}/connect/${TOKEN}"`);
  });

  it("asks to reconnect for a reconnect link", () => {
    const m = composeLinkEmail({ ...facts, kind: "reconnect", expectedEmail: null }, now);
    expect(m.subject).toBe("Olga Operator asks you to reconnect your Zoho account");
    expect(m.text).toContain("authorize the Zoho connection “Acme Desk” again");
    expect(m.text).not.toContain("Sign in at Zoho as");
  });

  it("keeps names out of other headers and out of the HTML's markup", () => {
    const m = composeLinkEmail({ ...facts, requestedBy: "Eve\r\nBcc: all@example.com", clientName: `<script>alert(1)</script>` }, now);
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("&lt;script&gt;");
  });

  it("writes the expiry in UTC, saying so", () => {
    expect(expiryText(Date.UTC(2026, 0, 2, 15, 4), Date.UTC(2026, 0, 2, 14, 34))).toBe("2 Jan 2026, 15:04 UTC (in 30 min)");
  });
});

describe("sendLinkByEmail", () => {
  it("sends the link's current address to the recipient, and stores nothing of it", async () => {
    const made = await makeLink();
    await expect(send(made.id, made.url)).resolves.toEqual({ delivered: true });
    const mail = received.at(-1)!;
    expect(mail.subject).toBe("Olga Operator asks for access to your Zoho account");
    expect(mail.text).toContain(made.url);
    const to = Array.isArray(mail.to) ? mail.to : [mail.to!];
    expect(to.flatMap((a) => a.value.map((v) => v.address))).toEqual(["owner@acme.example"]);
    expect(await everything()).not.toContain(made.url.split("/connect/")[1]);
  });

  it("refuses an address that is not this link's token", async () => {
    const a = await makeLink();
    const b = await makeLink();
    const count = received.length;
    await expect(send(a.id, b.url)).rejects.toThrow(/not the link's current one/);
    await expect(send(a.id, `${BASE}/connect/${TOKEN}`)).rejects.toThrow(/not the link's current one/);
    await expect(send(a.id, a.url.replace("https://console.example.com", "https://evil.example"))).rejects.toThrow(/not a connect link of this console/);
    expect(received.length).toBe(count);
  });

  it("refuses a link that ended", async () => {
    const made = await makeLink();
    await revokeLink(made.id, sender, null);
    const err = await send(made.id, made.url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/This link is revoked/);
  });

  it("sends a few a minute per console user, then asks to wait", async () => {
    const [other] = await db.insert(schema.users).values({ email: "busy@console.test", name: "Busy", passwordHash: "x", role: "operator" }).returning();
    const by = { id: other.id, email: other.email, name: other.name };
    const made = await makeLink();
    for (let i = 0; i < LINK_EMAILS_PER_MINUTE; i++) await expect(send(made.id, made.url, by)).resolves.toEqual({ delivered: true });
    await expect(send(made.id, made.url, by)).rejects.toThrow(/Try again in \d+ s/);
  });
});

describe("sendLinkEmailSchema", () => {
  it("wants one recipient address and keeps it in lower case", () => {
    expect(sendLinkEmailSchema.parse({ id: "3", url: ` ${BASE}/connect/${TOKEN} `, to: " Owner@Acme.example " })).toEqual({ id: 3, url: `${BASE}/connect/${TOKEN}`, to: "owner@acme.example" });
    expect(sendLinkEmailSchema.safeParse({ id: 3, url: "x", to: "a@b.example, c@d.example" }).success).toBe(false);
    expect(sendLinkEmailSchema.safeParse({ id: 3, url: "x", to: "" }).success).toBe(false);
  });
});
