import { describe, expect, it } from "vitest";
import { EVENT_TYPES, EVENT_VERSION, eventSchema, type AlertPayload, type ConnectionRef, type EventData, type EventType } from "@/lib/alerts/events";
import { emailMessage } from "@/lib/alerts/render-email";
import { DIGEST_ITEMS_MAX, slackMessage } from "@/lib/alerts/render-slack";

const BASE = "https://console.example.com";
const connection = (name = "Desk prod"): ConnectionRef => ({
  id: 7,
  name,
  url: `${BASE}/connections/7`,
  client: { id: 3, name: "Support integrations" },
  zoho_user: { zuid: "700001", email: "ops@acme.example" },
  location: "eu",
  organisations: {
    desk: { id: "20001234", name: "Acme Support" },
    assist: { id: "5001", name: "Acme Remote", department: "Tier 2" },
  },
});
const incident = (transition: "opened" | "escalated" | "resolved" | "ongoing") => ({
  id: 41,
  transition,
  opened_at: "2025-03-04T08:15:00.000Z",
  resolved_at: transition === "resolved" ? "2025-03-04T09:00:00.000Z" : null,
  resolution: transition === "resolved" ? ("refreshed" as const) : null,
  url: `${BASE}/incidents#incident-41`,
});
const reauth = {
  code: "invalid_code",
  message: "Zoho no longer accepts this connection's refresh token.",
  action: "Reconnect it from its page in the console; the Zoho user must consent again.",
};
const client = { id: 3, name: "Support integrations", url: `${BASE}/clients/3` };

function samples(name = "Desk prod"): { [T in EventType]: EventData<T> } {
  const c = connection(name);
  return {
    "connection.created": { connection: c },
    "connection.reauthorized": { connection: c, incident: incident("resolved") },
    "connection.refresh_failed": { connection: c, kind: "terminal", consecutive_failures: 1, reason: reauth, incident: incident("opened") },
    "connection.needs_reauth": { connection: c, reason: reauth, incident: incident("opened") },
    "connection.recovered": { connection: c, incident: incident("resolved") },
    "connection.revoked": { connection: c },
    "client.secret_rejected": {
      client,
      affected_connections: 4,
      reason: { code: "invalid_client", message: "Zoho refused the client secret.", action: "Replace the secret on the client's page." },
    },
    "refresh_tokens.budget_low": {
      client,
      zoho_user: { zuid: "700001", email: "ops@acme.example" },
      live_refresh_tokens: 17,
      cap: 20,
      reason: { code: "budget_low", message: "ops@acme.example holds 17 of 20 refresh tokens.", action: "Revoke connections you no longer use." },
    },
    "api_key.expiring": {
      api_key: { id: 9, name: "ci-bot", prefix: "zc_ab12", expires_at: "2025-03-10T00:00:00.000Z", url: `${BASE}/api-keys/9` },
      reason: { code: "expiring", message: "The key expires in 6 days.", action: "Create a new key and switch the service to it." },
    },
    "connect_link.completed": { link: connectLink("reconnect"), zoho_user: { zuid: "700001", email: "ops@acme.example" }, connection: c },
    "connect_link.expired": {
      link: connectLink("new"),
      last_state: "opened",
      reason: { code: "link_expired", message: "The connect link expired before anyone completed it.", action: "Press Issue again." },
    },
    "digest.daily": digest(2),
    test: { message: "This is a test alert.", destination: { id: 2, name: "Ops Slack" }, url: `${BASE}/settings/alerts` },
  };
}

function connectLink(kind: "new" | "reconnect"): EventData<"connect_link.expired">["link"] {
  return {
    id: 12,
    kind,
    connection_name: "Acme desk",
    client: { id: 3, name: "Support integrations" },
    scopes: ["Desk.tickets.READ", "AaaServer.profile.READ"],
    created_by: "Grace Ops",
    created_at: "2025-03-01T08:00:00.000Z",
    expires_at: "2025-03-04T08:00:00.000Z",
    url: `${BASE}/connect-links`,
  };
}

function digest(n: number): EventData<"digest.daily"> {
  return {
    date: "2025-03-04",
    time_zone: "Europe/Berlin",
    connections_needing_attention: Array.from({ length: n }, (_, i) => ({ id: i, name: `Conn ${i}`, status: "needs_reauth", reason: "refresh token revoked", url: `${BASE}/connections/${i}` })),
    refresh_token_budgets: [{ client: "Support integrations", zoho_user: "ops@acme.example", live: 17, cap: 20 }],
    api_keys_expiring: [],
    clients_secret_rejected: [],
    open_incidents: [{ id: 41, connection: "Desk prod", cause: "refresh token revoked", opened_at: "2025-03-04T08:15:00.000Z", url: `${BASE}/incidents#incident-41` }],
    url: `${BASE}/`,
  };
}

const payload = <T extends EventType>(type: T, data: EventData<T>): AlertPayload =>
  ({ id: "msg_test", type, version: EVENT_VERSION, timestamp: "2025-03-04T08:16:00.000Z", data }) as AlertPayload;

function consoleLink(p: AlertPayload): string {
  const d = p.data as { connection?: { url: string }; client?: { url: string }; api_key?: { url: string }; link?: { url: string }; url?: string };
  return d.connection?.url ?? d.client?.url ?? d.api_key?.url ?? d.link?.url ?? d.url!;
}

type Block = { type: string; text?: { type: string; text: string }; elements?: { type: string; url?: string; text?: unknown }[] };

describe.each(EVENT_TYPES)("%s", (type) => {
  const p = payload(type, samples()[type]);

  it("is a realistic payload (matches the event schema)", () => {
    expect(() => eventSchema(type).parse(p)).not.toThrow();
  });

  it("renders a Block Kit message within Slack's limits, linking to the console", () => {
    const { text, blocks } = slackMessage(p);
    expect(text.length).toBeGreaterThan(0);
    expect(Array.isArray(blocks)).toBe(true);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const bs = blocks as Block[];
    for (const b of bs) expect(["header", "section", "context", "actions", "divider"]).toContain(b.type);
    const header = bs.filter((b) => b.type === "header");
    expect(header).toHaveLength(1);
    expect(header[0].text?.type).toBe("plain_text");
    expect(header[0].text!.text.length).toBeLessThanOrEqual(150);
    for (const s of bs.filter((b) => b.type === "section")) expect(s.text!.text.length).toBeLessThanOrEqual(3000);
    expect(bs.some((b) => b.type === "section" && b.text!.text.startsWith("*What to do*"))).toBe(true);
    expect(bs.find((b) => b.type === "context")?.elements?.[0]).toMatchObject({ text: expect.stringContaining(type) });
    const actions = bs.find((b) => b.type === "actions")!;
    expect(actions.elements![0]).toMatchObject({ type: "button", url: consoleLink(p) });
  });

  it("renders an e-mail with the same content, a console link and the footer", () => {
    const m = emailMessage(p);
    expect(m.subject).toMatch(/^\[Zoho console\] \S/);
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.text).toContain(consoleLink(p));
    expect(m.html).toContain(`href="${consoleLink(p)}"`);
    for (const body of [m.text, m.html]) {
      expect(body).toContain(type);
      expect(body).toContain("Settings → Alerts");
      expect(body).toContain("What to do");
    }
    // Nothing loaded from elsewhere: no images, stylesheets, fonts or scripts.
    expect(m.html).not.toMatch(/<(img|link|script|style)\b|src=|@import|url\(/i);
  });
});

describe("words", () => {
  it("titles incidents and their resolution plainly", () => {
    const s = samples();
    const opened = payload("connection.needs_reauth", s["connection.needs_reauth"]);
    expect((slackMessage(opened).blocks[0] as Block).text!.text).toBe('Incident opened: connection "Desk prod" needs re-authorization');
    expect(emailMessage(opened).subject).toBe('[Zoho console] Incident opened: "Desk prod" needs re-authorization');
    const recovered = payload("connection.recovered", s["connection.recovered"]);
    expect((slackMessage(recovered).blocks[0] as Block).text!.text).toBe('Resolved: "Desk prod" refreshes again');
  });

  it("says what broke, which connection, user, client, data centre and organisations, and what to do", () => {
    const p = payload("connection.refresh_failed", samples()["connection.refresh_failed"]);
    const slack = JSON.stringify(slackMessage(p).blocks);
    const { text } = emailMessage(p);
    for (const needle of [reauth.message, reauth.action, "ops@acme.example", "Support integrations", "Europe (eu)", "Acme Support", "Tier 2"]) {
      expect(slack).toContain(needle);
      expect(text).toContain(needle);
    }
  });

  it("escapes user-controlled strings for Slack and HTML", () => {
    const evil = "<script>alert(1)</script> & co";
    for (const type of EVENT_TYPES.filter((t) => t.startsWith("connection."))) {
      const p = payload(type, samples(evil)[type]);
      const slack = slackMessage(p);
      expect(slack.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
      expect(JSON.stringify(slack)).not.toContain("<script>");
      const mail = emailMessage(p);
      expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
      expect(mail.html).not.toContain("<script>");
      expect(mail.text).toContain(evil); // plain text is shown as text, not parsed
    }
  });

  it("keeps a very long name within the header limit", () => {
    const p = payload("connection.needs_reauth", samples("&".repeat(400))["connection.needs_reauth"]);
    const header = (slackMessage(p).blocks[0] as Block).text!.text;
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header).not.toMatch(/&[a-z]*…/); // never half an entity
  });

  it("never makes a non-web URL a link", () => {
    const p = payload("test", { ...samples().test, url: "javascript:alert(1)" });
    expect(emailMessage(p).html).not.toContain("href=\"javascript:");
  });
});

describe("digest", () => {
  it(`lists at most ${DIGEST_ITEMS_MAX} items per section, then "and N more"`, () => {
    const p = payload("digest.daily", digest(13));
    const sections = (slackMessage(p).blocks as Block[]).filter((b) => b.type === "section").map((b) => b.text!.text);
    const conns = sections.find((s) => s.startsWith("*Connections needing attention (13)*"))!;
    expect(conns.match(/^• /gm)).toHaveLength(10);
    expect(conns).toContain("Conn 9");
    expect(conns).not.toContain("Conn 10");
    expect(conns).toMatch(/and 3 more$/);
    const mail = emailMessage(p);
    expect(mail.text).toContain("and 3 more");
    expect(mail.text).not.toContain("Conn 10");
    expect(mail.html).toContain("and 3 more");
    expect(mail.html).toContain(`href="${BASE}/connections/9"`);
  });

  it("leaves out empty sections and stays small", () => {
    const p = payload("digest.daily", digest(200));
    const { blocks } = slackMessage(p);
    expect(JSON.stringify(blocks)).not.toContain("API keys expiring");
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(emailMessage(p).text).toContain("and 190 more");
  });
});
