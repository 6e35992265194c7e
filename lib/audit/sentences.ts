// One plain sentence per audit event, for the audit page, the permalink and the export: what
// happened, and when it went wrong the error first, in words, then what to do. The target has a
// column of its own, so a sentence does not repeat it. Pure, so the browser can use it too.
import type { AuditAction, AuditOutcome } from "./actions";

type Detail = Record<string, unknown>;
type Sentence = (d: Detail, outcome: AuditOutcome) => string;

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : typeof v === "number" ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => str(x) ?? (x && typeof x === "object" ? JSON.stringify(x) : String(x))) : []);
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
const words = (code: string) => code.replace(/[_.]+/g, " ").trim();
const FIELD_WORDS: Record<string, string> = { homeDc: "home data centre", enabledDcs: "enabled data centres", multiDc: "multi-DC", clientId: "client id", rateLimitPerMinute: "rate limit", expiresAt: "expiry" };
const fieldWords = (f: string) => FIELD_WORDS[f] ?? f.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
const quoted = (v: unknown) => (str(v) ? `“${str(v)}”` : undefined);
const failed = (o: AuditOutcome) => o !== "success";

/**
 * Why something failed, by the code writers record (sign-in throttles, OAuth callbacks, service
 * API refusals, connect links, token reports). A code not listed reads as its words.
 */
const REASONS: Record<string, string> = {
  // Sign-in
  bad_credentials: "wrong e-mail or password",
  delayed: "this account had too many recent failed sign-ins, so the attempt came before its wait was over",
  address_locked: "this address had too many failed sign-ins and is locked for a while",
  disabled: "the account is disabled — an admin can enable it",
  // Roles
  forbidden: "the user's role does not allow it",
  // OAuth callbacks
  signed_out: "nobody was signed in to the console in that browser",
  unknown_state: "it names no authorization this console started (a forged or very old link)",
  used_state: "that authorization was already completed (a replayed callback)",
  expired_state: "the authorization had expired — start it again",
  access_denied: "the Zoho user refused consent",
  consent_error: "Zoho showed an error on its consent page",
  invalid_callback: "Zoho's answer was malformed",
  dc_not_enabled: "the client is not enabled in the Zoho user's data centre — enable multi-DC for it in Zoho's API console",
  forged_accounts_server: "it named an accounts server that is not Zoho's",
  client_missing: "the client was deleted meanwhile",
  client_secret_unreadable: "the client secret cannot be decrypted with the configured keys",
  internal: "the console could not save the result — try again",
  other_user: "another Zoho user consented than the one expected",
  link_ended: "the connect link had already ended",
  link_browser_mismatch: "the answer came back in another browser than the one that started consent",
  link_ended_during_consent: "the connect link ended while its owner was on Zoho's page",
  creator_missing: "the link's creator no longer exists",
  creator_deleted: "the link's creator was deleted",
  client_unusable: "the link's client can no longer be used",
  unknown_link: "no such link",
  expired: "the link had expired",
  revoked: "the link was revoked",
  completed: "the link was already used",
  // Service API refusals
  "missing key": "the call carried no API key",
  "unknown key": "the API key is unknown",
  "revoked key": "the API key is revoked",
  "expired key": "the API key has expired",
  "connection not allowed": "the key may not use this connection",
  // Token reports
  refreshed: "the token was retired and a new one minted",
  already_replaced: "the token had already been replaced; the current one was handed out",
  refused_again: "the token minted to replace a refused one was refused again — check the scopes and the organisation, not the token",
  limited: "this key's reports already replaced the token twice in ten minutes",
  refresh_failed: "the refresh that followed failed",
  not_confirmed: "Zoho's accounts server says the token still works",
  // Other
  "download interrupted": "the download was interrupted before the end",
};

/** What a failed Zoho call means and what to do, by the error kind the console records. */
const ERROR_KINDS: Record<string, string> = {
  invalid_code: "Zoho refused the refresh token (invalid_code) — reconnect",
  invalid_client: "Zoho does not know the client in this data centre (invalid_client) — check the client id and its multi-DC setting",
  invalid_client_secret: "Zoho rejected the client secret (invalid_client_secret) — replace the secret",
  invalid_redirect_uri: "the redirect URI differs from the one registered at Zoho (invalid_redirect_uri) — register the console's",
  throttled: "Zoho is throttling this client (throttled) — wait for its ten-minute window to pass",
  network: "Zoho could not be reached (network) — it will be retried",
  timeout: "Zoho did not answer in time (timeout) — it will be retried",
  server: "Zoho had a server error (server) — it will be retried",
  malformed: "Zoho's answer was not what its protocol says (malformed) — check the accounts server",
  unknown_token: "Zoho no longer knew the token (unknown_token)",
  invalid_token: "Zoho rejected the access token (invalid_token) — refresh it, or reconnect",
  insufficient_scope: "the token lacks a scope the call needs (insufficient_scope) — reconnect with that scope",
  wrong_org: "the organisation does not match the token (wrong_org) — check the binding",
  other: "Zoho answered with an error (other)",
};

/** Why the console itself did not run an operation (a TokenError's kind). */
const REFUSALS: Record<string, string> = {
  not_found: "the connection no longer exists",
  revoked: "the connection is revoked — authorize it again",
  needs_reauth: "the connection needs re-authorization — reconnect",
  no_refresh_token: "the connection holds no refresh token (online access) — reconnect with offline access",
  throttled: "Zoho's ten-minute refresh window for this connection is used up — wait for it to pass",
  rate_limited: "the console's own refresh limit for this connection was reached — wait a moment",
  backing_off: "earlier refreshes failed, so the console waits before the next try",
  busy: "another refresh of this connection was running",
  key_missing: "a stored token cannot be decrypted with the configured keys — configure the key it was written with",
  reconnected: "the connection was re-authorized meanwhile, so the result was discarded",
  zoho: "Zoho refused",
};

/** Why the refresh token no longer works (connection.needs_reauth's reason). */
const REAUTH: Record<string, string> = {
  invalid_code: "it was revoked at Zoho or has expired (invalid_code)",
  evicted: "a newer consent of the same Zoho user pushed it out of Zoho's 20 per client (evicted)",
  secret_changed: "the client secret changed since it was issued (secret_changed)",
};

export function reasonText(code: unknown): string {
  const c = str(code);
  if (!c) return "no reason was recorded";
  if (Object.hasOwn(REASONS, c)) return REASONS[c];
  const permission = /^no ([a-z_:]+) permission$/.exec(c);
  if (permission) return `the API key lacks the ${words(permission[1])} permission`;
  return /^[a-z0-9_]+$/.test(c) ? `${words(c)} (${c})` : c;
}

function errorText(d: Detail): string {
  const kind = str(d.errorKind);
  if (kind && Object.hasOwn(ERROR_KINDS, kind)) return ERROR_KINDS[kind];
  const refused = str(d.refused);
  if (refused) return Object.hasOwn(REFUSALS, refused) ? REFUSALS[refused] : `${words(refused)} (${refused})`;
  if (str(d.error)) return str(d.error)!.replace(/\.$/, "");
  if (kind) return `${words(kind)} (${kind})`;
  if (str(d.reason)) return reasonText(d.reason);
  return "no reason was recorded";
}

const TRIGGERS: Record<string, string> = {
  background: "by the background refresher",
  manual: "by hand",
  api: "for a service through the API",
  rejected: "after Zoho refused the access token",
  bulk: "by a bulk action",
  healthcheck: "by the scheduled health check",
};
const triggerText = (d: Detail) => {
  const t = str(d.trigger);
  return t ? (TRIGGERS[t] ?? `(${words(t)})`) : "";
};
const RESOLUTIONS: Record<string, string> = {
  refreshed: "the connection refreshed again",
  reauthorized: "the connection was reconnected",
  revoked: "the connection was revoked",
};
const join = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join(" ");
const withName = (prefix: string, d: Detail, key = "name") => join(prefix, quoted(d[key]));

/** A change's fields, from `changed` (names) or from `before`/`after`. */
function changedFields(d: Detail): string[] {
  const named = list(d.changed);
  if (named.length) return named;
  const after = d.after && typeof d.after === "object" ? Object.keys(d.after) : [];
  return after;
}

const SENTENCES: Record<AuditAction, Sentence> = {
  "auth.sign_in": (d, o) =>
    o === "success" ? "Signed in." : `Sign-in ${o === "denied" ? "refused" : "failed"}: ${reasonText(d.reason)}.`,
  "auth.sign_out": () => "Signed out; the session ended on the server.",
  "console.setup": () => "Created the first admin account on the first visit.",
  "client.create": (d, o) =>
    failed(o) ? `Registering a client failed: ${errorText(d)}.` : join(withName("Registered the client", d), str(d.clientId) && `(${str(d.clientId)})`, str(d.source) && `from the ${str(d.source)}`) + ".",
  "client.update": (d, o) => {
    if (failed(o)) return `Changing the client failed: ${errorText(d)}.`;
    const fields = changedFields(d);
    return `Changed ${fields.length ? fields.map(fieldWords).join(", ") : "the client"}${quoted(d.name) ? ` of ${quoted(d.name)}` : ""}.`;
  },
  "client.secret_replace": (d, o) => (failed(o) ? `Replacing the client secret failed: ${errorText(d)}.` : `Replaced the client secret${str(d.secret) ? `; it now ends in ${str(d.secret)!.slice(-4)}` : ""}.`),
  "client.delete": (d, o) => (failed(o) ? `Deleting the client failed: ${errorText(d)}.` : `${withName("Deleted the client", d)}.`),
  "connection.authorize_start": (d, o) =>
    failed(o)
      ? `Authorization could not start: ${errorText(d)}.`
      : join(`Sent the browser to Zoho to authorize${quoted(d.name) ? ` ${quoted(d.name)}` : " a connection"}`, str(d.clientName) && `with client ${quoted(d.clientName)}`, list(d.scopes).length > 0 && `for ${plural(list(d.scopes).length, "scope")}`) + ".",
  "connection.callback": (d, o) => `Zoho's answer to an authorization was ${o === "denied" ? "refused" : "not accepted"}: ${reasonText(d.reason)}${str(d.problem) ? ` (${str(d.problem)})` : ""}.`,
  "connection.create": (d, o) =>
    failed(o)
      ? `Creating the connection failed: ${errorText(d)}.`
      : join(
          `Authorized a new connection${str(d.zohoEmail) ? ` for Zoho user ${str(d.zohoEmail)}` : ""}${str(d.location) ? ` in data centre ${str(d.location)}` : ""}`,
          list(d.evicted).length > 0 && `; Zoho evicted ${plural(list(d.evicted).length, "older refresh token")} of this user`,
          d.awaitingBinding === true && "; its organisation is still to be chosen",
        ) + ".",
  "connection.self_client": (d, o) =>
    failed(o) ? `Exchanging the self-client code failed: ${errorText(d)}.` : `Exchanged a self-client code for a new connection${str(d.location) ? ` in data centre ${str(d.location)}` : ""}.`,
  "connection.reconnect_start": (d, o) => (failed(o) ? `Reconnect could not start: ${errorText(d)}.` : "Sent the browser to Zoho to authorize this connection again."),
  "connection.reconnect": (d, o) =>
    failed(o)
      ? `Reconnect failed: ${errorText(d)}.`
      : `Reconnected in place: new tokens${str(d.zohoEmail) ? ` from ${str(d.zohoEmail)}` : ""}, same id, binding and history${d.afterRevoke === true ? ", after it had been revoked" : ""}.`,
  "connection.bind": (d, o) => (failed(o) ? `Changing the organisation binding failed: ${errorText(d)}.` : "Changed which organisations the connection is bound to."),
  "connection.verify": (d, o) => {
    if (str(d.refused) || str(d.errorKind)) return `Verify failed: ${errorText(d)}.`;
    const results = Array.isArray(d.results) ? (d.results as { ok?: unknown; service?: unknown }[]) : [];
    const bad = results.filter((r) => r && r.ok === false);
    if (bad.length) return `Verify failed: ${bad.length} of ${results.length} checks failed (${bad.map((r) => str(r.service) ?? "?").join(", ")}).`;
    if (failed(o)) return `Verify failed: ${errorText(d)}.`;
    return results.length ? `Verified: all ${plural(results.length, "check")} passed.` : "Verified the connection.";
  },
  "connection.keep_fresh": (d) => {
    const after = d.after && typeof d.after === "object" ? (d.after as Detail).keepFresh : d.keepFresh;
    return after === false
      ? "Turned Keep fresh off: the token is renewed only when someone asks for it."
      : "Turned Keep fresh on: the background refresher renews the token before it expires.";
  },
  "connection.tag": (d) => {
    const added = list(d.added);
    const removed = list(d.removed);
    return `${join(added.length > 0 && `Added tag${added.length > 1 ? "s" : ""} ${added.join(", ")}`, added.length > 0 && removed.length > 0 && "and", removed.length > 0 && `${added.length ? "removed" : "Removed"} tag${removed.length > 1 ? "s" : ""} ${removed.join(", ")}`) || "Changed the tags"}${d.bulk === true ? " (bulk action)" : ""}.`;
  },
  "connection.bulk": (d) => {
    const n = num(d.count);
    return `${str(d.operation) ? `Bulk ${str(d.operation)!.toLowerCase()}` : "A bulk action"} on ${n !== undefined ? plural(n, "connection") : "several connections"}${list(d.clients).length ? ` of ${list(d.clients).join(", ")}` : ""}${str(d.tag) ? ` (tag ${str(d.tag)})` : ""}.`;
  },
  "connection.export": (d, o) =>
    failed(o) ? `Connections export stopped: ${reasonText(d.reason)} after ${plural(num(d.rows) ?? 0, "row")}.` : `Exported ${plural(num(d.rows) ?? 0, "connection")} as CSV${str(d.filter) && d.filter !== "all" ? ` (filter ${str(d.filter)})` : ""}.`,
  "connection.refresh": (d, o) => {
    if (failed(o)) {
      if (d.discarded !== undefined && !str(d.errorKind)) return "Refresh discarded: the connection was re-authorized while it ran, so the new token was not kept.";
      return `Refresh failed: ${errorText(d)}.`;
    }
    return `Refreshed the access token ${triggerText(d) || ""}`.trim() + ".";
  },
  "connection.refresh_abandoned": (d) =>
    `Refresh abandoned: the console process${str(d.holder) ? ` ${str(d.holder)}` : ""} that held its lease stopped midway; the next refresh starts afresh.`,
  "connection.revoke": (d, o) => {
    if (d.reconnectedMeanwhile === true) return "Revoke failed: the connection was re-authorized meanwhile; its new tokens were kept.";
    if (failed(o)) return `Revoke failed: ${errorText(d)} — nothing was changed, the tokens are still live.`;
    return d.zohoKnewIt === false ? "Revoked: Zoho no longer knew the token; the stored tokens were wiped." : "Revoked at Zoho; the stored tokens were wiped.";
  },
  "connection.evicted": (d) =>
    `Zoho evicted this connection's refresh token: a newer consent${str(d.zohoEmail) ? ` of ${str(d.zohoEmail)}` : ""} pushed it out of Zoho's 20 per user and client — reconnect.`,
  "connection.needs_reauth": (d) => {
    const r = str(d.reason);
    return `Zoho refused the refresh token: ${r && Object.hasOwn(REAUTH, r) ? REAUTH[r] : reasonText(r)} — reconnect.`;
  },
  "connection.token_rejected": (d, o) =>
    `${failed(o) ? "Refused access token not replaced" : "Zoho refused an access token"}${str(d.source) ? ` (reported by ${words(str(d.source)!)})` : ""}: ${reasonText(d.reason)}${str(d.zohoCode) ? ` (Zoho code ${str(d.zohoCode)})` : ""}.`,
  "connection.health_check": (d, o) => {
    const results = Array.isArray(d.results) ? (d.results as { ok?: unknown; service?: unknown }[]) : [];
    const bad = results.filter((r) => r && r.ok === false);
    if (bad.length) return `Health check failed: ${bad.length} of ${results.length} checks failed (${bad.map((r) => str(r.service) ?? "?").join(", ")}).`;
    if (failed(o)) return `Health check failed: ${errorText(d)}.`;
    return `Health check passed${results.length ? `: ${plural(results.length, "check")}` : ""}.`;
  },
  "connect_link.create": (d, o) => (failed(o) ? `Creating a connect link failed: ${errorText(d)}.` : `Created a connect link${quoted(d.name) ? ` for ${quoted(d.name)}` : ""}${str(d.expectedEmail) ? `, expecting ${str(d.expectedEmail)}` : ""}.`),
  "connect_link.open": (d, o) => (failed(o) ? `Connect link refused when opened: ${reasonText(d.reason)}.` : "The link's owner opened the connect link."),
  "connect_link.consent_start": (d, o) => (failed(o) ? `Connect link could not start consent: ${reasonText(d.reason)}.` : `The link's owner went on to Zoho${str(d.location) ? ` (data centre ${str(d.location)})` : ""}.`),
  "connect_link.complete": (d) => `The link's owner authorized the connection${str(d.zohoEmail) ? ` as ${str(d.zohoEmail)}` : ""}.`,
  "connect_link.fail": (d, o) => `Connect link ${o === "denied" ? "refused" : "failed"}: ${reasonText(d.reason)}.`,
  "connect_link.expire": (d) => `Connect link expired unused${str(d.was) ? `; its owner got as far as “${words(str(d.was)!)}”` : ""}.`,
  "connect_link.revoke": (d) => `Revoked the connect link${str(d.reason) ? `: ${reasonText(d.reason)}` : ""}.`,
  "incident.open": (d) => `Incident opened: ${(str(d.cause) ?? "refreshes keep failing").replace(/\.$/, "")}.`,
  "incident.escalate": (d) => `Incident became terminal: ${(str(d.cause) ?? "Zoho no longer accepts the refresh token").replace(/\.$/, "")} — reconnect.`,
  "incident.resolve": (d) => `Incident resolved: ${RESOLUTIONS[str(d.resolution) ?? ""] ?? "the connection works again"}.`,
  "alert.destination_create": (d) => `${withName("Added the alert destination", d)}${str(d.kind) ? ` (${str(d.kind)})` : ""}${str(d.host) ? ` to ${str(d.host)}` : ""}.`,
  "alert.destination_update": (d) => {
    const fields = changedFields(d);
    return `Changed ${fields.length ? fields.map(fieldWords).join(", ") : "the settings"} of the alert destination${quoted(d.name) ? ` ${quoted(d.name)}` : ""}.`;
  },
  "alert.destination_delete": (d) => `${withName("Deleted the alert destination", d)}.`,
  "alert.destination_rotate": (d) => `Rotated the webhook signing secret${str(d.previousSignsUntil) ? `; the old one also signs until ${str(d.previousSignsUntil)}` : ""}.`,
  "alert.destination_pause": (d) => `Alert destination paused: it has failed for 3 days${str(d.reason) ? ` (${str(d.reason)})` : ""} — fix it and resume it.`,
  "alert.destination_resume": () => "Resumed the alert destination; deliveries start again.",
  "alert.test": (d, o) => (failed(o) ? `Test alert failed: ${str(d.error) ?? (num(d.status) ? `HTTP ${num(d.status)}` : "not delivered")}.` : `Test alert delivered${num(d.status) ? ` (HTTP ${num(d.status)})` : ""}.`),
  "alert.replay": (d) => `Replayed a${str(d.event) ? ` ${str(d.event)}` : "n alert"} delivery.`,
  "user.create": (d) => `Added ${str(d.email) ?? "a user"}${str(d.role) ? ` as ${str(d.role)}` : ""}.`,
  "user.change_role": (d) => {
    const before = d.before && typeof d.before === "object" ? str((d.before as Detail).role) : str(d.from);
    const after = d.after && typeof d.after === "object" ? str((d.after as Detail).role) : str(d.to);
    return `Changed the role${before ? ` from ${before}` : ""}${after ? ` to ${after}` : ""}.`;
  },
  "user.disable": () => "Disabled the user; their sessions ended.",
  "user.enable": () => "Enabled the user.",
  "user.set_disabled": (d) => (d.disabled === false ? "Enabled the user." : "Disabled the user; their sessions ended."),
  "user.delete": (d) => `Deleted ${str(d.email) ?? "the user"}${str(d.role) ? ` (${str(d.role)})` : ""}.`,
  "user.reset_password": (d) => `Reset the password${d.generated === true ? " to a generated one" : ""}.`,
  "user.change_password": () => "Changed their own password.",
  "user.unlock": (d) => `Lifted the sign-in wait${d.hadFailures === false ? " (there was none)" : ""}.`,
  "user.recover": () => "Restored admin access from the server (npm run admin:recover): a new password, every session ended.",
  "api_key.create": (d) => `Created the API key${quoted(d.name) ? ` ${quoted(d.name)}` : ""}${str(d.prefix) ? ` (${str(d.prefix)}…)` : ""}${list(d.permissions).length ? ` to ${list(d.permissions).map(words).join(", ")}` : ""}.`,
  "api_key.update": (d) => {
    const fields = Object.keys(d).filter((k) => k !== "name" && k !== "prefix" && k !== "before" && k !== "after");
    return `Changed ${fields.length ? fields.map(fieldWords).join(", ") : "the settings"} of the API key${quoted(d.name) ? ` ${quoted(d.name)}` : ""}.`;
  },
  "api_key.revoke": (d) => `Revoked the API key${quoted(d.name) ? ` ${quoted(d.name)}` : ""}; services using it are refused from now on.`,
  "api_key.refused": (d) => `Service API call refused: ${reasonText(d.reason)}.`,
  "audit.export": (d, o) =>
    failed(o) ? `Audit export stopped: ${reasonText(d.reason)} after ${plural(num(d.rows) ?? 0, "row")}.` : `Exported ${plural(num(d.rows) ?? 0, "audit event")} as CSV${str(d.filter) && d.filter !== "all" ? ` (filter ${str(d.filter)})` : ""}.`,
  "view.save": (d) => `${withName("Saved the view", d)}${d.replaced !== undefined ? ", replacing one of the same name" : ""}.`,
  "view.delete": (d) => `${withName("Deleted the saved view", d)}.`,
  "audit.prune": (d) =>
    `Retention deleted ${plural(num(d.deleted) ?? 0, "old audit event")}${num(d.routineDeleted) ? `, ${plural(num(d.routineDeleted)!, "routine refresh", "routine refreshes")} among them` : ""}${num(d.retentionDays) ? ` (kept: ${num(d.retentionDays)} days, routine ${num(d.routineRetentionDays) ?? "?"} days)` : ""}.`,
  "secrets.rekey": (d, o) => (failed(o) ? `Re-encrypting secrets failed: ${errorText(d)}.` : `Re-encrypted ${plural(num(d.reencrypted) ?? 0, "secret")} under the current key${str(d.trigger) === "startup" ? " at start-up" : ""}.`),
  "database.backup": (d, o) => (failed(o) ? `Database backup failed: ${errorText(d)}.` : `Backed up the database${str(d.file) ? ` to ${str(d.file)}` : ""}${num(d.bytes) ? ` (${Math.max(1, Math.round(num(d.bytes)! / 1024)).toLocaleString("en-US")} kB)` : ""}.`),
};

/** Every action that has a sentence of its own (all of them: the record's type says so). */
export const SENTENCE_ACTIONS = Object.keys(SENTENCES) as AuditAction[];

/**
 * The event in one sentence. An action outside the catalogue (one a later version dropped) reads
 * as its name and outcome; a detail of the wrong shape never throws.
 */
export function auditSentence(action: string, outcome: AuditOutcome, detail: Detail | null): string {
  const d = detail && typeof detail === "object" ? detail : {};
  if (outcome === "denied" && d.reason === "forbidden") {
    return `Refused: the ${str(d.role) ?? "user's"} role may not ${str(d.permission) ? words(str(d.permission)!.split(":").reverse().join(" ")) : "do this"}.`;
  }
  if (!Object.hasOwn(SENTENCES, action)) return `${words(action)}: ${outcome}${str(d.reason) ? ` (${reasonText(d.reason)})` : ""}.`;
  try {
    return SENTENCES[action as AuditAction](d, outcome).replace(/\s+/g, " ").replace(/\.\.$/, ".");
  } catch {
    return `${words(action)}: ${outcome}.`;
  }
}
