/**
 * Every way an authorization can fail, each with text that says what happened and what to do.
 * Pure: the callback stores a code (plus, for Zoho's own errors, the ZohoError's fixed texts)
 * and the result page turns it back into words. Nothing here is built from request input, so a
 * code, token or secret cannot reach a page through it.
 */
import { DC_LABELS, isDcLocation, ZohoError, type DcLocation } from "@/lib/zoho";

export const FLOW_FAILURES = [
  "access_denied",
  "consent_error",
  "missing_state",
  "unknown_state",
  "used_state",
  "expired_state",
  "other_user",
  "signed_out",
  "forbidden",
  "invalid_callback",
  "forged_accounts_server",
  "dc_not_enabled",
  "client_missing",
  "client_secret_unreadable",
  "client_not_server",
  "reconnect_missing",
  "reconnect_other_user",
  "internal",
  "link_browser_mismatch",
  "link_ended",
  "link_other_user",
] as const;
export type FlowFailure = (typeof FLOW_FAILURES)[number];

/** A Zoho error during exchange, user info or discovery; texts come from `ZohoError`. */
export interface ZohoFailure {
  code: `zoho_${string}`;
  operation: string;
  title: string;
  message: string;
  advice: string;
  location?: DcLocation;
}

interface Explanation {
  title: string;
  message: string;
  advice: string;
}

export const isFlowFailure = (v: unknown): v is FlowFailure =>
  typeof v === "string" && (FLOW_FAILURES as readonly string[]).includes(v);

const START_AGAIN = "Start the authorization again from the console; each attempt gets a fresh link.";

export function explainFlowFailure(code: FlowFailure, opts: { location?: DcLocation; consentError?: string } = {}): Explanation {
  const dc = opts.location ? `${opts.location} (${DC_LABELS[opts.location]})` : "this data centre";
  switch (code) {
    case "access_denied":
      return {
        title: "Access was denied in Zoho",
        message: "The Zoho user chose Deny on Zoho's consent page, so Zoho sent no code and nothing was stored.",
        advice: "If that was a mistake, start again and choose Accept. If the user should not grant these scopes, pick fewer.",
      };
    case "consent_error":
      return {
        title: "Zoho refused the authorization request",
        message: `Zoho answered with the error ${opts.consentError ? `“${opts.consentError}”` : "code it gave"} instead of a code.`,
        advice: "Check the client's registration in Zoho's API console (redirect URI, scopes) and start again.",
      };
    case "missing_state":
      return {
        title: "This callback carries no state",
        message: "Every authorization the console starts carries a one-time state value; this request had none, so it was not started here.",
        advice: START_AGAIN,
      };
    case "unknown_state":
      return {
        title: "This link was already used or has expired",
        message: "The console does not know this authorization. It may have been started on another console, or cleaned up long ago.",
        advice: START_AGAIN,
      };
    case "used_state":
      return {
        title: "This link was already used",
        message: "A Zoho callback works exactly once. This one was processed before (a reload, the Back button, or a replayed URL), so it was refused.",
        advice: "Check the connections list: the first use may have created the connection. Otherwise start again.",
      };
    case "expired_state":
      return {
        title: "This authorization has expired",
        message: "Authorizations must be completed within 10 minutes of clicking Authorize. This one came back later and was refused.",
        advice: START_AGAIN,
      };
    case "other_user":
      return {
        title: "This authorization was started by someone else",
        message: "The callback belongs to an authorization another console user started. It was refused and can no longer be used.",
        advice: "Each admin completes their own authorizations. Start one yourself if you need this connection.",
      };
    case "signed_out":
      return {
        title: "You are not signed in",
        message: "The Zoho callback arrived without a console session, so it could not be matched to whoever started it.",
        advice: "Sign in and start the authorization again.",
      };
    case "forbidden":
      return {
        title: "Your role cannot connect accounts",
        message: "Only admins and operators may authorize connections. Nothing was stored.",
        advice: "Ask an admin to raise your role, or to make the connection.",
      };
    case "invalid_callback":
      return {
        title: "The callback from Zoho was malformed",
        message: "Its parameters did not have the shape Zoho sends, so nothing was sent anywhere.",
        advice: START_AGAIN,
      };
    case "forged_accounts_server":
      return {
        title: "The callback named an unknown accounts server",
        message:
          "Zoho tells the console where the user's account lives; this callback named a server that is not one of Zoho's known accounts servers. The console sent no request to it and stored nothing.",
        advice: "Someone may have tampered with the link. Start again from the console; if it happens again, tell your security team.",
      };
    case "dc_not_enabled":
      return {
        title: `This client is not enabled in DC ${dc}`,
        message: `The Zoho account lives in data centre ${dc}, which is not among the data centres this client is enabled for here. The code was not exchanged.`,
        advice: `Enable multi-DC for the client in Zoho's API console (Settings → Multi-DC) including ${dc}, then add ${dc} to the client's data centres in this console.`,
      };
    case "client_missing":
      return {
        title: "The client no longer exists",
        message: "The Zoho client this authorization was started with was deleted in the meantime.",
        advice: "Register the client again, then start a new connection.",
      };
    case "client_secret_unreadable":
      return {
        title: "The client's stored secret cannot be read",
        message:
          "The console could not decrypt this client's secret: its encryption key is not configured, or the stored value does not belong to this client. The code was not exchanged and nothing was sent to Zoho.",
        advice: "Enter the client secret again on the client's page (or restore the missing key in ENCRYPTION_KEYS_PREVIOUS), then start a new connection.",
      };
    case "client_not_server":
      return {
        title: "This client cannot use the consent flow",
        message: "Self clients have no redirect URI; Zoho issues their codes in its API console.",
        advice: "Use “Exchange a self-client code” instead.",
      };
    case "reconnect_missing":
      return {
        title: "The connection to reconnect is gone",
        message: "It was deleted, or revoked, while Zoho's consent page was open. The new code was not stored.",
        advice: "If it was revoked, open it and choose Reconnect to authorize it again; if it was deleted, create a new connection.",
      };
    case "reconnect_other_user":
      return {
        title: "A different Zoho user consented",
        message:
          "The connection belongs to another Zoho account than the one that just consented, so it was left unchanged and the new token was revoked.",
        advice: "Sign out of Zoho (or use a private window), sign in as the connection's Zoho user and reconnect again — or create a new connection for this user.",
      };
    case "link_browser_mismatch":
      return {
        title: "This browser did not start this connect link",
        message:
          "A connect link completes only in the browser that pressed Continue to Zoho (or, after pressing it twice, only from the last press). This callback came without that browser's mark, so it was refused and nothing was stored.",
        advice: "Open the link again in the browser you use for Zoho and press Continue to Zoho once.",
      };
    case "link_ended":
      return {
        title: "This connect link has ended",
        message: "The link was completed, revoked or expired while Zoho's consent page was open, so the code was not used.",
        advice: "Ask the person who sent the link for a new one.",
      };
    case "link_other_user":
      return {
        title: "A different Zoho user consented",
        message: "This link was made for another Zoho account than the one that just consented, so nothing was stored and the new token was revoked at Zoho.",
        advice: "Ask the person who sent the link for a new one, made for the Zoho account you use.",
      };
    case "internal":
      return {
        title: "The console could not finish this authorization",
        message:
          "Something went wrong on the console's side after Zoho answered; the new tokens were revoked at Zoho, nothing was stored.",
        advice: "Try again; if it repeats, check the server log.",
      };
  }
}

const OPERATION_TITLES: Record<string, string> = {
  exchange: "Zoho did not accept the authorization code",
  user_info: "Zoho did not say which user consented",
  discovery: "Organisation discovery failed",
  refresh: "Zoho did not refresh the token",
};

export function zohoFailure(error: ZohoError): ZohoFailure {
  return {
    code: `zoho_${error.kind}`,
    operation: error.operation,
    title: OPERATION_TITLES[error.operation] ?? "Zoho answered with an error",
    message: error.userMessage,
    advice: error.advice,
    ...(error.location ? { location: error.location } : {}),
  };
}

export function parseLocation(value: unknown): DcLocation | undefined {
  return isDcLocation(value) ? value : undefined;
}
