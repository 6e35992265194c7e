/**
 * A connect link in the console's words: its state, why it ended, what it asks for. Pure and
 * free of lib/zoho's index (which carries the HTTP client), so the browser's table can use it;
 * link-words.test.ts keeps the labels and lifetimes equal to lib/connect-links.
 */
import type { ConnectLinkDto } from "@/lib/connect-links/view";
import { servicesOf } from "@/lib/zoho/scope-catalogue";
import { PROFILE_SCOPE } from "@/lib/zoho/scope-string";

export type LinkState = ConnectLinkDto["state"];
type Tone = "gray" | "green" | "amber" | "red" | "blue";

export const LINK_STATES: Record<LinkState, { label: string; tone: Tone }> = {
  waiting: { label: "Waiting", tone: "blue" },
  opened: { label: "Opened", tone: "blue" },
  consent_started: { label: "Consent started", tone: "amber" },
  completed: { label: "Completed", tone: "green" },
  expired: { label: "Expired", tone: "gray" },
  revoked: { label: "Revoked", tone: "gray" },
  failed: { label: "Failed", tone: "red" },
};

/** States from which a link may still move on: these keep the list polling. */
export const isOpenLinkState = (state: LinkState) => state === "waiting" || state === "opened" || state === "consent_started";

/** The lifetimes the forms offer; the schema accepts 30 minutes to 7 days. */
export const LIFETIME_CHOICES = [
  { minutes: 30, label: "30 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 4 * 60, label: "4 hours" },
  { minutes: 24 * 60, label: "24 hours" },
  { minutes: 72 * 60, label: "72 hours" },
  { minutes: 7 * 24 * 60, label: "7 days" },
] as const;
export const DEFAULT_LIFETIME_MINUTES = 72 * 60;

// Why a link failed, by the code its callback stored: a flow failure or `zoho_<kind>`.
const FAILURES: Record<string, string> = {
  access_denied: "The Zoho user chose Deny on Zoho's consent page.",
  consent_error: "Zoho refused the authorization request (check the client's registration in Zoho's API console).",
  expired_state: "The Zoho user took longer than 10 minutes on Zoho's pages.",
  invalid_callback: "Zoho's answer came back malformed.",
  forged_accounts_server: "The answer named an accounts server that is not Zoho's; nothing was exchanged.",
  dc_not_enabled: "The Zoho account lives in a data centre this client is not enabled for.",
  client_missing: "The client was deleted while the consent was open.",
  client_secret_unreadable: "The client's stored secret could not be decrypted; enter it again on the client's page.",
  client_not_server: "The client is a self client, which has no consent page.",
  reconnect_missing: "The connection to re-authorize was deleted while the consent was open.",
  reconnect_other_user: "A different Zoho user consented than the one who owns the connection.",
  link_other_user: "A different Zoho user consented than the one the link was made for.",
  link_ended: "The link ended while Zoho's consent page was open.",
  internal: "The console could not finish after Zoho answered; see the server log.",
};

const ZOHO_FAILURES: Record<string, string> = {
  invalid_code: "Zoho did not accept the authorization code.",
  invalid_client: "Zoho does not know this client id in that data centre.",
  invalid_client_secret: "Zoho refused the client secret.",
  invalid_redirect_uri: "The redirect URI does not match the client's registration at Zoho.",
  throttled: "Zoho throttled the console; try again in a few minutes.",
  network: "Zoho could not be reached.",
  timeout: "Zoho did not answer in time.",
  server: "Zoho answered with a server error.",
  malformed: "Zoho's answer could not be read.",
};

export function failureText(code: string | null): string {
  if (!code) return "The reason was not recorded.";
  if (code.startsWith("zoho_")) return ZOHO_FAILURES[code.slice(5)] ?? "Zoho answered with an error.";
  return FAILURES[code] ?? "The consent did not finish.";
}

type LinkFacts = Pick<ConnectLinkDto, "state" | "stateReason" | "openedAt" | "consentStartedAt" | "revokedBy">;

/** One sentence under the state badge for a link that ended without a connection; null otherwise. */
export function linkOutcomeText(link: LinkFacts): string | null {
  switch (link.state) {
    case "failed":
      return failureText(link.stateReason);
    case "expired":
      // From what happened rather than the stored reason: an open link past its expiry shows
      // as expired before the sweep writes a reason.
      if (link.consentStartedAt !== null) return "Expired while the consent at Zoho was unfinished.";
      if (link.openedAt !== null) return "Expired after it was opened, before anyone continued to Zoho.";
      return "Expired before anyone opened it.";
    case "revoked":
      if (link.stateReason === "issued_again") return `Replaced by a new link (Issue again${link.revokedBy ? ` by ${link.revokedBy}` : ""}).`;
      return link.revokedBy ? `Revoked by ${link.revokedBy}.` : "Revoked.";
    default:
      return null;
  }
}

/** When the link stopped (or will stop) working: its expiry, or the moment it ended earlier. */
export function linkEnd(link: Pick<ConnectLinkDto, "state" | "expiresAt" | "completedAt" | "revokedAt">): { label: string; at: number | null } {
  if (link.state === "completed") return { label: "Completed", at: link.completedAt };
  if (link.state === "revoked") return { label: "Revoked", at: link.revokedAt };
  if (link.state === "expired") return { label: "Expired", at: link.expiresAt };
  if (link.state === "failed") return { label: "Failed", at: null };
  return { label: "Expires", at: link.expiresAt };
}

const SERVICE_NAMES: Record<string, string> = { desk: "Desk", assist: "Assist", salesiq: "SalesIQ" };

/**
 * What a link asks for, short: the Zoho services and the scopes beyond the profile scope, which
 * every link carries so the console learns who consented.
 */
export function compactScopes(scopes: readonly string[]): { services: string; scopes: string[] } {
  const own = scopes.filter((s) => s.toLowerCase() !== PROFILE_SCOPE.toLowerCase());
  const services = servicesOf(own).flatMap((id) => (SERVICE_NAMES[id] ? [SERVICE_NAMES[id]] : []));
  return { services: services.join(", ") || "Other", scopes: own };
}
