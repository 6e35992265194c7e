/**
 * The schema's value sets and JSON shapes as plain TypeScript, without drizzle: both schemas
 * (db/schema-sqlite.ts, db/schema-pg.ts) build their columns from them, and lib/ re-exports them
 * to the browser (components never import db/ directly).
 */

export const ROLES = ["admin", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const REALMS = ["live", "sandbox"] as const;
export const CLIENT_TYPES = ["server", "self"] as const;
export const ACCESS_TYPES = ["offline", "online"] as const;

/** Organisation binding per service; what Zoho APIs need besides the token. */
export interface OrgBinding {
  desk?: { orgId: string; name: string; portalName?: string };
  salesiq?: { screenName: string; name: string };
  assist?: { orgId: string; name: string; environment?: string; departmentId?: string; departmentName?: string };
}

/**
 * How an access token came to be: a consent of some kind, or a refresh and what asked for it
 * (`rejected`: Zoho refused the token before it, so it replaced that one at once).
 */
export const MINT_VIAS = ["authorize", "reconnect", "self_client", "background", "manual", "api", "rejected"] as const;
export type MintVia = (typeof MINT_VIAS)[number];

/**
 * What a key may do: read connection metadata, get access tokens, call Zoho through the proxy,
 * read the console's Prometheus metrics (GET /api/metrics; not tied to any connection).
 */
export const API_KEY_PERMISSIONS = ["read", "token", "proxy", "metrics"] as const;
export type ApiKeyPermission = (typeof API_KEY_PERMISSIONS)[number];

/** Where alerts go: a signed webhook, a Slack incoming webhook, or e-mail over SMTP_URL. */
export const ALERT_DESTINATION_KINDS = ["webhook", "slack", "email"] as const;
export type AlertDestinationKind = (typeof ALERT_DESTINATION_KINDS)[number];

/** A delivery waits (pending, with its next attempt), arrived (delivered) or gave up (failed). */
export const ALERT_DELIVERY_STATES = ["pending", "delivered", "failed"] as const;
export type AlertDeliveryState = (typeof ALERT_DELIVERY_STATES)[number];

/** A connect link makes a new connection, or re-authorizes one that needs it in place. */
export const CONNECT_LINK_KINDS = ["new", "reconnect"] as const;
export type ConnectLinkKind = (typeof CONNECT_LINK_KINDS)[number];

/**
 * A link's life: made (waiting), seen by a browser (opened), its owner pressed Continue
 * (consent_started), and one end: completed, expired, revoked or failed (with a reason).
 */
export const CONNECT_LINK_STATES = ["waiting", "opened", "consent_started", "completed", "expired", "revoked", "failed"] as const;
export type ConnectLinkState = (typeof CONNECT_LINK_STATES)[number];
