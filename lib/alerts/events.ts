// The alert event catalogue: every event the console sends, its payload schema (zod, also in the
// OpenAPI document as webhooks) and its words. Pure, so pages and tests share it. Payloads are
// versioned (`version`): fields are only ever added within a version.

import { z } from "zod";

export const EVENT_VERSION = 1;

export const EVENT_TYPES = [
  "connection.created",
  "connection.reauthorized",
  "connection.refresh_failed",
  "connection.needs_reauth",
  "connection.recovered",
  "connection.revoked",
  "client.secret_rejected",
  "refresh_tokens.budget_low",
  "api_key.expiring",
  "connect_link.completed",
  "connect_link.expired",
  "digest.daily",
  "test",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const isEventType = (v: string): v is EventType => (EVENT_TYPES as readonly string[]).includes(v);

/** What each event means, for the destination form and the README's catalogue. */
export const EVENT_DESCRIPTIONS: Record<EventType, string> = {
  "connection.created": "A connection was authorized (consent at Zoho, a self-client code).",
  "connection.reauthorized": "A connection was reconnected in place: new tokens, same id, name and binding.",
  "connection.refresh_failed":
    "A refresh failed and opened an incident: its kind is terminal (Zoho refused the refresh token) or temporary (network, 5xx, throttled — the third in a row).",
  "connection.needs_reauth": "Zoho no longer accepts the connection's refresh token: someone must reconnect it.",
  "connection.recovered": "A connection whose incident was open refreshed again.",
  "connection.revoked": "A connection was revoked in the console.",
  "client.secret_rejected": "Zoho refused a client's secret (invalid_client): every connection of the client is affected.",
  "refresh_tokens.budget_low": "A Zoho user holds 16 or more of the 20 refresh tokens Zoho allows per client; the 21st evicts the oldest.",
  "api_key.expiring": "An API key expires within 7 days.",
  "connect_link.completed": "The Zoho account owner a connect link was shared with authorized it: the connection exists (or was reconnected).",
  "connect_link.expired": "A connect link expired before anyone completed it.",
  "digest.daily": "The daily at-risk digest (only when there is something to say).",
  test: "Sent by Send test on a destination.",
};

const id = z.number().int();
const iso = z.string().meta({ description: "ISO 8601 time." });
const link = z.string().meta({ description: "The console page about it." });

const organisations = z
  .object({
    desk: z.object({ id: z.string(), name: z.string() }).optional(),
    salesiq: z.object({ id: z.string(), name: z.string() }).optional(),
    assist: z.object({ id: z.string(), name: z.string(), department: z.string().optional() }).optional(),
  })
  .meta({ description: "The organisation each bound service's calls go to." });

export const connectionRef = z.object({
  id,
  name: z.string(),
  url: link,
  client: z.object({ id, name: z.string() }),
  zoho_user: z.object({ zuid: z.string().nullable(), email: z.string().nullable() }),
  location: z.string(),
  organisations,
});
export type ConnectionRef = z.infer<typeof connectionRef>;

export const reason = z
  .object({
    code: z.string().meta({ description: "A stable short code, e.g. invalid_code, evicted, network." }),
    message: z.string().meta({ description: "What happened, in plain words." }),
    action: z.string().meta({ description: "What to do about it." }),
  })
  .meta({ id: "AlertReason" });

export const incidentRef = z
  .object({
    id,
    transition: z.enum(["opened", "escalated", "resolved", "ongoing"]).meta({
      description: "What this event did to the incident: opened it, made it terminal, resolved it, or none (ongoing).",
    }),
    opened_at: iso,
    resolved_at: iso.nullable(),
    resolution: z.enum(["refreshed", "reauthorized", "revoked"]).nullable(),
    url: link,
  })
  .meta({ id: "AlertIncident" });

const clientRef = z.object({ id, name: z.string(), url: link });

const connectLinkRef = z
  .object({
    id,
    kind: z.enum(["new", "reconnect"]).meta({ description: "A new connection, or a reconnect of an existing one." }),
    connection_name: z.string(),
    client: z.object({ id, name: z.string() }),
    scopes: z.array(z.string()),
    created_by: z.string().nullable().meta({ description: "The console user who shared the link." }),
    created_at: iso,
    expires_at: iso,
    url: link,
  })
  .meta({ id: "AlertConnectLink", description: "A connect link, never its token." });

const DATA = {
  "connection.created": z.object({ connection: connectionRef }),
  "connection.reauthorized": z.object({ connection: connectionRef, incident: incidentRef.optional() }),
  "connection.refresh_failed": z.object({
    connection: connectionRef,
    kind: z.enum(["temporary", "terminal"]),
    consecutive_failures: z.number().int(),
    reason,
    incident: incidentRef,
  }),
  "connection.needs_reauth": z.object({ connection: connectionRef, reason, incident: incidentRef }),
  "connection.recovered": z.object({ connection: connectionRef, incident: incidentRef }),
  "connection.revoked": z.object({ connection: connectionRef, incident: incidentRef.optional() }),
  "client.secret_rejected": z.object({ client: clientRef, affected_connections: z.number().int(), reason }),
  "refresh_tokens.budget_low": z.object({
    client: clientRef,
    zoho_user: z.object({ zuid: z.string(), email: z.string().nullable() }),
    live_refresh_tokens: z.number().int(),
    cap: z.number().int(),
    reason,
  }),
  "api_key.expiring": z.object({
    api_key: z.object({ id, name: z.string(), prefix: z.string(), expires_at: iso, url: link }),
    reason,
  }),
  "connect_link.completed": z.object({
    link: connectLinkRef,
    zoho_user: z.object({ zuid: z.string().nullable(), email: z.string().nullable() }),
    connection: connectionRef,
  }),
  "connect_link.expired": z.object({
    link: connectLinkRef,
    last_state: z.enum(["waiting", "opened", "consent_started"]).meta({ description: "How far the owner got: never opened, opened, or went to Zoho and did not come back." }),
    reason,
  }),
  "digest.daily": z.object({
    date: z.string().meta({ description: "The day, in the console's time zone (YYYY-MM-DD)." }),
    time_zone: z.string(),
    connections_needing_attention: z.array(z.object({ id, name: z.string(), status: z.string(), reason: z.string(), url: link })),
    refresh_token_budgets: z.array(z.object({ client: z.string(), zoho_user: z.string(), live: z.number().int(), cap: z.number().int() })),
    api_keys_expiring: z.array(z.object({ id, name: z.string(), expires_at: iso, url: link })),
    clients_secret_rejected: z.array(z.object({ id, name: z.string(), url: link })),
    open_incidents: z.array(z.object({ id, connection: z.string(), cause: z.string(), opened_at: iso, url: link })),
    url: link,
  }),
  test: z.object({ message: z.string(), destination: z.object({ id, name: z.string() }), url: link }),
} satisfies Record<EventType, z.ZodType>;

export type EventData<T extends EventType> = z.infer<(typeof DATA)[T]>;

/** The whole body of an event as sent (webhooks get exactly this JSON). */
export function eventSchema<T extends EventType>(type: T) {
  return z
    .object({
      id: z.string().meta({ description: "msg_…: the same on every attempt and replay (also the webhook-id header)." }),
      type: z.literal(type),
      version: z.literal(EVENT_VERSION),
      timestamp: iso,
      data: DATA[type],
    })
    .meta({ id: `Event_${type.replace(/\./g, "_")}`, description: EVENT_DESCRIPTIONS[type] });
}

export type AlertPayload<T extends EventType = EventType> = {
  id: string;
  type: T;
  version: typeof EVENT_VERSION;
  timestamp: string;
  data: EventData<T>;
};

/** Chat and e-mail get an incident's opening, escalation and resolution, and events outside incidents. */
export function notifiesPeople(payload: Pick<AlertPayload, "data">): boolean {
  const incident = (payload.data as { incident?: { transition: string } }).incident;
  return !incident || incident.transition !== "ongoing";
}
