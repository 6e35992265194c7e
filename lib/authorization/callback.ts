import "server-only";
import { actorOf, type Actor } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/session";
import { handleLinkCallback } from "@/lib/connect-links/callback";
import { noteRequest } from "@/lib/log";
import { can } from "@/lib/rbac";
import { CALLBACK_STATE_PATTERN } from "@/lib/zoho";
import { claimAttempt, findLinkAttempt } from "./attempts";
import type { FlowFailure } from "./failures";
import { auditCallbackFailure as auditFailure, redeemClaimed } from "./redeem-claimed";

interface CallbackRequest {
  params: URLSearchParams;
  user: SessionUser | null;
  ip: string | null;
  /** The request's cookies by name; a connect link's attempt is bound to one of them. */
  cookies?: Readonly<Record<string, string>>;
}

/** Where to send the browser next; never carries the code. */
interface CallbackResponse {
  location: string;
}

const resultFor = (failure: FlowFailure) => ({ location: `/connections/result?error=${failure}` });
const resultOfAttempt = (attemptId: number) => ({ location: `/connections/result?attempt=${attemptId}` });

/**
 * Zoho's redirect back to the console. Every parameter is hostile until checked: the state
 * must name an unused, unexpired attempt of this very user (and is burnt before anything else
 * happens); the accounts server must be a known one of the client's realm and one the client
 * is enabled in; only then is the code exchanged, on the server. A state that names a connect
 * link's attempt is handled by lib/connect-links/callback.ts instead.
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
  // A connect link's attempt belongs to the browser holding the link's nonce, whoever (if
  // anyone) is signed in there; it goes through the link's own checks.
  const linkAttempt = CALLBACK_STATE_PATTERN.test(state) ? await findLinkAttempt(state) : undefined;
  if (linkAttempt) return handleLinkCallback({ attempt: linkAttempt, params, cookies: req.cookies ?? {}, ip });
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
  const result = await redeemClaimed(attempt, params, actor, ip);
  if (!result.ok) return resultOfAttempt(attempt.id);
  noteRequest({ attemptId: attempt.id, connectionId: result.outcome.connectionId });
  if (result.outcome.needsBinding.length > 0) {
    return { location: `/connections/${result.outcome.connectionId}/binding?attempt=${attempt.id}` };
  }
  return resultOfAttempt(attempt.id);
}

