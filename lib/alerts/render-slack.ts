import { DC_LABELS, isDcLocation } from "@/lib/zoho/data-centres";
import type { AlertPayload, ConnectionRef, EventData, EventType } from "./events";

/**
 * What an alert says to people, once, so Slack and e-mail cannot drift apart: render-email.ts
 * builds from the same `alertContent`. Strings here are raw; each renderer escapes for its medium.
 */
export interface AlertContent {
  type: EventType;
  /** Plain one-line title, e.g. `Incident opened: connection "Desk prod" needs re-authorization`. */
  title: string;
  /** The title without the nouns a subject line can spare. */
  short: string;
  happened: string;
  facts: [label: string, value: string][];
  action: string;
  lists: { heading: string; items: { text: string; url: string }[]; more: number }[];
  /** The first is the console page about it; an incident page may follow. */
  links: { label: string; url: string }[];
  time: string;
}

type Body = Omit<AlertContent, "type" | "time" | "lists"> & Partial<Pick<AlertContent, "lists">>;

/** A digest lists at most this many items per section, then "and N more". */
export const DIGEST_ITEMS_MAX = 10;

const line = (s: string, max = 80) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
const q = (s: string) => `"${line(s)}"`;

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function connectionFacts(c: ConnectionRef): [string, string][] {
  const o = c.organisations;
  const orgs = [
    o.desk && `Desk: ${o.desk.name} (${o.desk.id})`,
    o.salesiq && `SalesIQ: ${o.salesiq.name} (${o.salesiq.id})`,
    o.assist && `Assist: ${o.assist.name} (${o.assist.id})${o.assist.department ? `, department ${o.assist.department}` : ""}`,
  ].filter(Boolean);
  return [
    ["Connection", c.name],
    ["Zoho user", c.zoho_user.email ?? c.zoho_user.zuid ?? "unknown"],
    ["Client", c.client.name],
    ["Data centre", isDcLocation(c.location) ? `${DC_LABELS[c.location]} (${c.location})` : c.location],
    ["Organisations", orgs.length ? orgs.join("; ") : "none bound"],
  ];
}

type Incident = NonNullable<EventData<"connection.reauthorized">["incident"]>;
const incidentFact = (i: Incident): [string, string] => [
  "Incident",
  `#${i.id}, opened ${when(i.opened_at)}${i.resolved_at ? `, resolved ${when(i.resolved_at)}${i.resolution ? ` (${i.resolution})` : ""}` : ""}`,
];

/** Connection events: facts about the connection, then the incident; buttons to both pages. */
function aboutConnection(d: { connection: ConnectionRef; incident?: Incident }, title: [prefix: string, what: string], rest: Pick<Body, "happened" | "action">, extra: [string, string][] = []): Body {
  const [prefix, what] = title;
  const links = [{ label: "Open connection", url: d.connection.url }];
  if (d.incident) links.push({ label: "View incident", url: d.incident.url });
  return {
    title: `${prefix}connection ${q(d.connection.name)} ${what}`,
    short: `${prefix}${q(d.connection.name)} ${what}`,
    facts: [...connectionFacts(d.connection), ...extra, ...(d.incident ? [incidentFact(d.incident)] : [])],
    links,
    ...rest,
  };
}

const PREFIX: Record<Incident["transition"], string> = { opened: "Incident opened: ", escalated: "Incident escalated: ", resolved: "Resolved: ", ongoing: "" };
const NOTHING = "Nothing to do.";

const BUILD: { [T in EventType]: (d: EventData<T>) => Body } = {
  "connection.created": (d) =>
    aboutConnection(d, ["", "authorized"], { happened: "The connection was authorized and its tokens are stored.", action: "Nothing to do; check that it is bound to the right organisations." }),
  "connection.reauthorized": (d) =>
    aboutConnection(d, d.incident ? ["Resolved: ", "was reconnected"] : ["", "reconnected"], {
      happened: `It was reconnected in place: new tokens, same id, name and binding.${d.incident ? " Its open incident is resolved." : ""}`,
      action: NOTHING,
    }),
  "connection.refresh_failed": (d) =>
    aboutConnection(
      d,
      [d.incident.transition === "ongoing" ? "Refresh failed again: " : PREFIX[d.incident.transition], d.kind === "terminal" ? "needs re-authorization" : "cannot refresh its token"],
      { happened: d.reason.message, action: d.reason.action },
      [["Failures in a row", String(d.consecutive_failures)]],
    ),
  "connection.needs_reauth": (d) =>
    aboutConnection(d, [PREFIX[d.incident.transition], "needs re-authorization"], { happened: d.reason.message, action: d.reason.action }),
  "connection.recovered": (d) => ({
    ...aboutConnection(d, ["Resolved: ", "refreshes again"], {
      happened: `The connection refreshed its token again, so the incident opened ${when(d.incident.opened_at)} is resolved.`,
      action: "Nothing to do; services using it get valid tokens again.",
    }),
    title: `Resolved: ${q(d.connection.name)} refreshes again`,
  }),
  "connection.revoked": (d) =>
    aboutConnection(d, ["", "revoked"], {
      happened: `The connection was revoked in the console; its tokens no longer work.${d.incident ? " Its open incident is closed." : ""}`,
      action: "Nothing to do if this was intended; services using it get errors until they switch to another connection.",
    }),
  "client.secret_rejected": (d) => ({
    title: `Zoho rejected the secret of client ${q(d.client.name)}`,
    short: `Client ${q(d.client.name)}: secret rejected`,
    happened: d.reason.message,
    facts: [["Client", d.client.name], ["Connections affected", String(d.affected_connections)]],
    action: d.reason.action,
    links: [{ label: "Open client", url: d.client.url }],
  }),
  "refresh_tokens.budget_low": (d) => {
    const user = d.zoho_user.email ?? d.zoho_user.zuid;
    return {
      title: `Refresh tokens running out: ${line(user)} holds ${d.live_refresh_tokens} of ${d.cap} on client ${q(d.client.name)}`,
      short: `${line(user)} holds ${d.live_refresh_tokens} of ${d.cap} refresh tokens`,
      happened: d.reason.message,
      facts: [["Client", d.client.name], ["Zoho user", user], ["Refresh tokens", `${d.live_refresh_tokens} of ${d.cap}`]],
      action: d.reason.action,
      links: [{ label: "Open client", url: d.client.url }],
    };
  },
  "api_key.expiring": (d) => ({
    title: `API key ${q(d.api_key.name)} expires ${when(d.api_key.expires_at)}`,
    short: `API key ${q(d.api_key.name)} expires soon`,
    happened: d.reason.message,
    facts: [["API key", `${d.api_key.name} (${d.api_key.prefix}…)`], ["Expires", when(d.api_key.expires_at)]],
    action: d.reason.action,
    links: [{ label: "Open API key", url: d.api_key.url }],
  }),
  "connect_link.completed": (d) => {
    const user = d.zoho_user.email ?? (d.zoho_user.zuid ? `Zoho user ${d.zoho_user.zuid}` : "a Zoho user");
    const verb = d.link.kind === "reconnect" ? "reconnected" : "authorized";
    return {
      title: `Connect link completed: ${line(user)} ${verb} ${q(d.connection.name)}`,
      short: `${line(user)} ${verb} ${q(d.connection.name)} through a connect link`,
      happened: `${user} completed the connect link${d.link.created_by ? ` ${d.link.created_by} shared` : ""} for client ${d.link.client.name}; the connection's tokens are stored.`,
      facts: [...connectionFacts(d.connection), ["Shared by", d.link.created_by ?? "—"]],
      action: "Nothing to do; check that it is bound to the right organisations.",
      links: [{ label: "Open connection", url: d.connection.url }, { label: "Connect links", url: d.link.url }],
    };
  },
  "connect_link.expired": (d) => ({
    title: `Connect link for ${q(d.link.connection_name)} expired unused`,
    short: `Connect link for ${q(d.link.connection_name)} expired`,
    happened: d.reason.message,
    facts: [["Client", d.link.client.name], ["Shared by", d.link.created_by ?? "—"], ["Expired", when(d.link.expires_at)]],
    action: d.reason.action,
    links: [{ label: "Connect links", url: d.link.url }],
  }),
  "digest.daily": (d) => {
    const list = <T>(heading: string, all: T[], text: (x: T) => string, url: (x: T) => string) => ({
      heading: `${heading} (${all.length})`,
      items: all.slice(0, DIGEST_ITEMS_MAX).map((x) => ({ text: line(text(x), 240), url: url(x) })),
      more: Math.max(0, all.length - DIGEST_ITEMS_MAX),
    });
    const lists = [
      list("Connections needing attention", d.connections_needing_attention, (c) => `${c.name} — ${c.status}: ${c.reason}`, (c) => c.url),
      list("Open incidents", d.open_incidents, (i) => `${i.connection} — ${i.cause} (since ${when(i.opened_at)})`, (i) => i.url),
      list("Clients whose secret Zoho rejected", d.clients_secret_rejected, (c) => c.name, (c) => c.url),
      list("Refresh-token budgets running low", d.refresh_token_budgets, (b) => `${b.zoho_user} on ${b.client}: ${b.live} of ${b.cap}`, () => d.url),
      list("API keys expiring", d.api_keys_expiring, (k) => `${k.name} — expires ${when(k.expires_at)}`, (k) => k.url),
    ].filter((l) => l.items.length > 0);
    const total = lists.reduce((n, l) => n + l.items.length + l.more, 0);
    return {
      title: `Daily digest for ${line(d.date, 20)}: ${total} item${total === 1 ? "" : "s"} need attention`,
      short: `Daily digest ${line(d.date, 20)}: ${total} item${total === 1 ? "" : "s"}`,
      happened: `What needs attention on ${d.date} (${d.time_zone}).`,
      facts: [],
      action: "Open each item in the console to reconnect, replace a secret or renew a key.",
      lists,
      links: [{ label: "Open console", url: d.url }],
    };
  },
  test: (d) => ({
    title: `Test alert for destination ${q(d.destination.name)}`,
    short: `Test alert for ${q(d.destination.name)}`,
    happened: d.message,
    facts: [["Destination", d.destination.name]],
    action: "Nothing to do: this destination receives alerts.",
    links: [{ label: "Open destination", url: d.url }],
  }),
};

export function alertContent(payload: AlertPayload): AlertContent {
  const body = (BUILD[payload.type] as (d: AlertPayload["data"]) => Body)(payload.data);
  return { lists: [], ...body, type: payload.type, time: when(payload.timestamp) };
}

// ---- Slack --------------------------------------------------------------------------------------
// Slack reads &, < and > as markup (<url|label>, <!channel>), so user text must not carry them raw.
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** Cuts to Slack's limit without leaving half an entity behind. */
const fit = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1).replace(/&[a-z]*$/, "")}…`);
const mrkdwn = (text: string) => ({ type: "section", text: { type: "mrkdwn", text: fit(text, 3000) } });

export function slackMessage(payload: AlertPayload): { text: string; blocks: unknown[] } {
  const c = alertContent(payload);
  const facts = c.facts.map(([label, value]) => `*${label}:* ${esc(value)}`).join("\n");
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: fit(esc(c.title), 150), emoji: false } },
    mrkdwn(`*What happened*\n${esc(c.happened)}${facts ? `\n\n${facts}` : ""}`),
    ...c.lists.map((l) =>
      mrkdwn([`*${esc(l.heading)}*`, ...l.items.map((i) => `• ${esc(i.text)}`), ...(l.more ? [`and ${l.more} more`] : [])].join("\n")),
    ),
    mrkdwn(`*What to do*\n${esc(c.action)}`),
    { type: "divider" },
    { type: "context", elements: [{ type: "mrkdwn", text: `Event \`${c.type}\` · ${c.time}` }] },
    {
      type: "actions",
      elements: c.links.map((l, i) => ({ type: "button", text: { type: "plain_text", text: l.label }, url: l.url, ...(i === 0 ? { style: "primary" } : {}) })),
    },
  ];
  const text = [esc(c.title), esc(c.happened), esc(c.action), esc(c.links[0].url)].join("\n");
  return { text, blocks };
}
