// The catalogue of audited actions: a readable label and a group for each, shared by the audit
// page, its filters, the CSV export and the charts. Pure, so the browser can use it too.

export const ACTION_GROUPS = {
  signin: "Sign-in",
  clients: "Clients",
  connections: "Connections",
  tokens: "Tokens",
  users: "Users",
  keys: "API keys",
  alerts: "Alerts",
  links: "Connect links",
  console: "Console",
} as const;

export type ActionGroup = keyof typeof ACTION_GROUPS;

const AUDIT_ACTIONS = {
  "auth.sign_in": { label: "Sign-in", group: "signin" },
  "auth.sign_out": { label: "Sign-out", group: "signin" },
  "console.setup": { label: "First admin set up", group: "signin" },
  "client.create": { label: "Client registered", group: "clients" },
  "client.update": { label: "Client changed", group: "clients" },
  "client.secret_replace": { label: "Client secret replaced", group: "clients" },
  "client.delete": { label: "Client deleted", group: "clients" },
  "connection.authorize_start": { label: "Authorization started", group: "connections" },
  "connection.callback": { label: "Authorization callback", group: "connections" },
  "connection.create": { label: "Connection created", group: "connections" },
  "connection.self_client": { label: "Self-client code exchanged", group: "connections" },
  "connection.reconnect_start": { label: "Reconnect started", group: "connections" },
  "connection.reconnect": { label: "Connection reconnected", group: "connections" },
  "connection.bind": { label: "Organisation binding changed", group: "connections" },
  "connection.verify": { label: "Connection verified", group: "connections" },
  "connection.keep_fresh": { label: "Keep fresh switched", group: "connections" },
  "connection.tag": { label: "Connection tags changed", group: "connections" },
  "connection.bulk": { label: "Bulk action on connections", group: "connections" },
  "connection.export": { label: "Connections exported", group: "connections" },
  "connection.refresh": { label: "Token refresh", group: "tokens" },
  "connection.refresh_abandoned": { label: "Refresh abandoned (its process stopped)", group: "tokens" },
  "connection.revoke": { label: "Connection revoked", group: "tokens" },
  "connection.evicted": { label: "Refresh token evicted", group: "tokens" },
  "connection.needs_reauth": { label: "Zoho refused the refresh token", group: "tokens" },
  "connection.token_rejected": { label: "Zoho refused an access token", group: "tokens" },
  "connection.health_check": { label: "Scheduled health check", group: "connections" },
  "connect_link.create": { label: "Connect link created", group: "links" },
  "connect_link.open": { label: "Connect link opened", group: "links" },
  "connect_link.consent_start": { label: "Connect link: consent started", group: "links" },
  "connect_link.complete": { label: "Connect link completed", group: "links" },
  "connect_link.fail": { label: "Connect link failed", group: "links" },
  "connect_link.expire": { label: "Connect link expired", group: "links" },
  "connect_link.revoke": { label: "Connect link revoked", group: "links" },
  "incident.open": { label: "Incident opened", group: "alerts" },
  "incident.escalate": { label: "Incident became terminal", group: "alerts" },
  "incident.resolve": { label: "Incident resolved", group: "alerts" },
  "alert.destination_create": { label: "Alert destination added", group: "alerts" },
  "alert.destination_update": { label: "Alert destination changed", group: "alerts" },
  "alert.destination_delete": { label: "Alert destination deleted", group: "alerts" },
  "alert.destination_rotate": { label: "Webhook signing secret rotated", group: "alerts" },
  "alert.destination_pause": { label: "Alert destination paused (failing for 3 days)", group: "alerts" },
  "alert.destination_resume": { label: "Alert destination resumed", group: "alerts" },
  "alert.test": { label: "Test alert sent", group: "alerts" },
  "alert.replay": { label: "Alert delivery replayed", group: "alerts" },
  "user.create": { label: "User added", group: "users" },
  "user.change_role": { label: "User role changed", group: "users" },
  "user.disable": { label: "User disabled", group: "users" },
  "user.enable": { label: "User enabled", group: "users" },
  "user.set_disabled": { label: "User disabled or enabled", group: "users" },
  "user.delete": { label: "User deleted", group: "users" },
  "user.reset_password": { label: "User password reset", group: "users" },
  "user.change_password": { label: "Own password changed", group: "users" },
  "user.unlock": { label: "Sign-in wait lifted", group: "users" },
  "user.recover": { label: "Admin access restored from the server", group: "users" },
  "api_key.create": { label: "API key created", group: "keys" },
  "api_key.update": { label: "API key changed", group: "keys" },
  "api_key.revoke": { label: "API key revoked", group: "keys" },
  "api_key.refused": { label: "API key refused", group: "keys" },
  "audit.export": { label: "Audit trail exported", group: "console" },
  "view.save": { label: "View saved", group: "console" },
  "view.delete": { label: "Saved view deleted", group: "console" },
  "audit.prune": { label: "Old audit events pruned", group: "console" },
  "secrets.rekey": { label: "Secrets re-encrypted", group: "console" },
  "database.backup": { label: "Database backed up", group: "console" },
} as const satisfies Record<string, { label: string; group: ActionGroup }>;

/** Every action the console can record; a name outside the catalogue does not compile. */
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

export function isKnownAction(action: string): action is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, action);
}

export function isActionGroup(v: string): v is ActionGroup {
  return Object.hasOwn(ACTION_GROUPS, v);
}

/**
 * "connection.refresh" → "Token refresh". Rows are strings from the database, so a name outside
 * the catalogue (an action a later version dropped) keeps its own name rather than failing.
 */
export function actionLabel(action: string): string {
  return isKnownAction(action) ? AUDIT_ACTIONS[action].label : action;
}

export function actionGroup(action: string): ActionGroup | null {
  return isKnownAction(action) ? AUDIT_ACTIONS[action].group : null;
}

export function actionsInGroup(group: ActionGroup): AuditAction[] {
  return (Object.keys(AUDIT_ACTIONS) as AuditAction[]).filter((a) => AUDIT_ACTIONS[a].group === group);
}

export const OUTCOMES = ["success", "failure", "denied"] as const;
export type AuditOutcome = (typeof OUTCOMES)[number];

export type ActorType = "user" | "api_key" | "system" | "anonymous";

/** Where a target of each type is shown; a type without a page has no link. */
export function targetHref(type: string | null, id: string | null): string | null {
  if (!type || !id || !/^\d+$/.test(id)) return null;
  switch (type) {
    case "connection":
      return `/connections/${id}`;
    case "client":
      return `/clients/${id}`;
    case "user":
      return "/settings/users";
    case "api_key":
      return `/settings/api-keys/${id}`;
    case "alert_destination":
      return `/settings/alerts/${id}`;
    case "incident":
      return `/incidents#incident-${id}`;
    default:
      return null;
  }
}
