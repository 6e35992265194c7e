import "server-only";
import { recordAudit, type Actor } from "@/lib/audit";
import type { OauthAttemptRow } from "@/db/schema";
import { ClientSecretUnreadable, getClientCredentials, type ClientCredentials } from "@/lib/clients";
import { errorText, log, noteRequest } from "@/lib/log";
import { realmBase, realmDataCentre, redirectUri } from "@/lib/realm";
import { findByAccountsServer, parseCallbackParams, sanitiseZohoText, type DcLocation } from "@/lib/zoho";
import { attemptForUser, saveOutcome } from "./attempts";
import { finishGrant } from "./finish";
import type { ConnectedOutcome, FailedOutcome } from "./outcome";

export type Redeemed = { ok: true; outcome: ConnectedOutcome } | { ok: false; code: FailedOutcome["code"] | null };

/**
 * `fold`: a refusal that burns no attempt, which anyone can repeat at will (a replayed or made-up
 * callback URL), counts on one row per actor, reason and minute. Any other failure burnt an
 * attempt, which only an authorization start (itself audited) makes: a row each.
 */
export async function auditCallbackFailure(
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
    outcome: code === "forbidden" || code === "other_user" || code === "link_browser_mismatch" ? "denied" : "failure",
    detail: { reason: code, ...extra },
    ip,
    fold,
  });
}

/**
 * The part of Zoho's callback that follows a claimed attempt, the same for a console user and a
 * connect link: the client must exist with a readable secret, the accounts server must be a
 * known one of its realm and one it is enabled in; only then is the code exchanged, on the
 * server. Every failure is saved on the attempt and audited. `code` is null when the outcome
 * could not be saved (the database failed).
 */
export async function redeemClaimed(
  attempt: OauthAttemptRow,
  params: URLSearchParams,
  actor: Actor,
  ip: string | null,
  opts: { expectedEmail?: string | null; link?: number } = {},
): Promise<Redeemed> {
  const fail = async (outcome: Omit<FailedOutcome, "status">, extra: Record<string, unknown> = {}): Promise<Redeemed> => {
    await saveOutcome(attempt.id, { status: "failed", ...outcome });
    await auditCallbackFailure(actor, ip, outcome.code, { extra: { client: attempt.clientRef, ...extra }, attemptId: attempt.id });
    return { ok: false, code: outcome.code };
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
  try {
    const result = await finishGrant({ attempt, client, dc, code: parsed.code, redirectUri: redirectUri(), actor, ip, expectedEmail: opts.expectedEmail, link: opts.link });
    return result.ok ? result : { ok: false, code: result.outcome.code };
  } catch (e) {
    // finishGrant revokes what it will not keep; what is left is to answer with a page, not a 500.
    log("connect").error({ attemptId: attempt.id, error: errorText(e) }, "callback failed");
    try {
      const saved = (await attemptForUser(attempt.id, attempt.userId))?.outcome;
      if (!saved) return await fail({ code: "internal" });
      return saved.status === "connected" ? { ok: true, outcome: saved } : { ok: false, code: saved.code };
    } catch {
      // The database is what failed: the result page says the attempt has no outcome.
      return { ok: false, code: null };
    }
  }
}

// `enabledDcs` lists every DC the client works in, home DC included (lib/clients.ts).
const isEnabled = (client: ClientCredentials, location: DcLocation) => client.enabledDcs.includes(location);
