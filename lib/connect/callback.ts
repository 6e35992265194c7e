import "server-only";
import { recordAudit, type Actor } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/session";
import { ClientSecretUnreadable, getClientCredentials, type ClientCredentials } from "@/lib/clients";
import { realmBase, realmDataCentre, redirectUri } from "@/lib/realm";
import { log, noteRequest } from "@/lib/log";
import { can } from "@/lib/rbac";
import {
  CALLBACK_STATE_PATTERN,
  findByAccountsServer,
  parseCallbackParams,
  sanitiseZohoText,
  type DcLocation,
} from "@/lib/zoho";
import { attemptForUser, claimAttempt, saveOutcome } from "./attempts";
import type { FlowFailure } from "./failures";
import { errorText } from "@/lib/log";
import { finishGrant } from "./finish";
import type { FailedOutcome } from "./outcome";

interface CallbackRequest {
  params: URLSearchParams;
  user: SessionUser | null;
  ip: string | null;
}

/** Where to send the browser next; never carries the code. */
interface CallbackResponse {
  location: string;
}

const resultFor = (failure: FlowFailure) => ({ location: `/connections/result?error=${failure}` });
const resultOfAttempt = (attemptId: number) => ({ location: `/connections/result?attempt=${attemptId}` });

/**
 * `fold`: a refusal that burns no attempt, which a signed-in user can repeat at will (a replayed
 * or made-up callback URL), counts on one row per user, reason and minute. Any other failure
 * burnt an attempt, which only an authorization start (itself audited) makes: a row each.
 */
async function auditFailure(
  actor: Actor,
  ip: string | null,
  code: string,
  { extra = {}, attemptId, fold = false }: { extra?: Record<string, unknown>; attemptId?: number; fold?: boolean } = {},
) {
  noteRequest({ outcome: code, attemptId });
  await recordAudit({
    actor,
    action: "connection.callback",
    target: attemptId ? { type: "oauth_attempt", id: attemptId } : undefined,
    outcome: code === "forbidden" || code === "other_user" ? "denied" : "failure",
    detail: { reason: code, ...extra },
    ip,
    fold,
  });
}

/**
 * Zoho's redirect back to the console. Every parameter is hostile until checked: the state
 * must name an unused, unexpired attempt of this very user (and is burnt before anything else
 * happens); the accounts server must be a known one of the client's realm and one the client
 * is enabled in; only then is the code exchanged, on the server.
 */
export async function handleCallback(req: CallbackRequest): Promise<CallbackResponse> {
  const { params, user, ip } = req;
  const anonymous: Actor = { type: "anonymous", label: "oauth callback" };
  const states = params.getAll("state");
  if (states.length !== 1) {
    // Zoho sends a refusal without state only when none was sent; say what happened anyway.
    const failure: FlowFailure = states.length === 0 ? (params.get("error") === "access_denied" ? "access_denied" : "missing_state") : "invalid_callback";
    await auditFailure(user ? actorOf(user) : anonymous, ip, failure, { fold: true });
    return resultFor(failure);
  }
  const state = states[0];
  if (!user) {
    await auditFailure(anonymous, ip, "signed_out");
    return resultFor("signed_out");
  }
  const actor = actorOf(user);
  if (!can(user.role, "connections:connect")) {
    await auditFailure(actor, ip, "forbidden", { fold: true });
    return resultFor("forbidden");
  }
  if (!CALLBACK_STATE_PATTERN.test(state)) {
    await auditFailure(actor, ip, "unknown_state", { fold: true });
    return resultFor("unknown_state");
  }

  const claim = await claimAttempt(state, user.id);
  if (!claim.ok) {
    // An expired attempt or another user's is burnt by this very claim (one row each, bounded
    // by the attempts started); an unknown or already used state is a repeat.
    const repeat = claim.failure === "unknown_state" || claim.failure === "used_state";
    await auditFailure(actor, ip, claim.failure, { attemptId: claim.attemptId, fold: repeat });
    return resultFor(claim.failure);
  }
  const attempt = claim.attempt;
  const fail = async (outcome: Omit<FailedOutcome, "status">, extra: Record<string, unknown> = {}) => {
    await saveOutcome(attempt.id, { status: "failed", ...outcome });
    await auditFailure(actor, ip, outcome.code, { extra: { client: attempt.clientRef, ...extra }, attemptId: attempt.id });
    return resultOfAttempt(attempt.id);
  };

  let client: ClientCredentials | undefined;
  try {
    client = await getClientCredentials(attempt.clientRef);
  } catch (e) {
    if (e instanceof ClientSecretUnreadable) return fail({ code: "client_secret_unreadable" });
    throw e;
  }
  if (!client) return fail({ code: "client_missing" });

  const base = realmBase(client.realm);
  const rawServer = params.get("accounts-server");
  if (rawServer !== null && !findByAccountsServer(client.realm, rawServer, base)) {
    // Not even a request to it: a forged value would otherwise receive the client secret.
    return fail({ code: "forged_accounts_server" });
  }
  const parsed = parseCallbackParams(params, { realm: client.realm, sandboxBaseUrl: base });
  if (parsed.kind === "denied") {
    if (parsed.error === "access_denied") return fail({ code: "access_denied" });
    const consentError = sanitiseZohoText(parsed.error, 60);
    return fail({ code: "consent_error", ...(consentError ? { consentError } : {}) }, { zohoError: consentError });
  }
  if (parsed.kind === "invalid") return fail({ code: "invalid_callback" }, { problem: parsed.reason });
  if (!isEnabled(client, parsed.location)) return fail({ code: "dc_not_enabled", location: parsed.location }, { location: parsed.location });

  const dc = realmDataCentre(client.realm, parsed.location);
  let result;
  try {
    result = await finishGrant({
      attempt,
      client,
      dc,
      code: parsed.code,
      redirectUri: redirectUri(),
      actor,
      ip,
    });
  } catch (e) {
    // finishGrant revokes what it will not keep; what is left is to answer with a page, not a 500.
    log("connect").error({ attemptId: attempt.id, error: errorText(e) }, "callback failed");
    try {
      if (!(await attemptForUser(attempt.id, user.id))?.outcome) return await fail({ code: "internal" });
    } catch {
      // The database is what failed: the result page says the attempt has no outcome.
    }
    return resultOfAttempt(attempt.id);
  }
  if (!result.ok) return resultOfAttempt(attempt.id);
  noteRequest({ attemptId: attempt.id, connectionId: result.outcome.connectionId });
  if (result.outcome.needsBinding.length > 0) {
    return { location: `/connections/${result.outcome.connectionId}/binding?attempt=${attempt.id}` };
  }
  return resultOfAttempt(attempt.id);
}

// `enabledDcs` lists every DC the client works in, home DC included (lib/clients.ts).
const isEnabled = (client: ClientCredentials, location: DcLocation) => client.enabledDcs.includes(location);

export const actorOf = (u: SessionUser): Actor => ({ type: "user", id: u.id, label: u.email });
