import "server-only";
import type { ConnectionRow, OauthAttemptRow, OrgBinding } from "@/db/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { errorText, log, noteRequest } from "@/lib/log";
import type { ClientCredentials } from "@/lib/clients";
import { loadConnection } from "@/lib/connections/queries";
import { servicesOf, type DataCentre } from "@/lib/zoho";
import { saveOutcome } from "./attempts";
import { planBinding, type BindingPlan } from "./binding-plan";
import type { FlowFailure, ZohoFailure } from "./failures";
import type { ConnectedOutcome, FailedOutcome } from "./outcome";
import { ClientGone, ReconnectGone, revokedSince, storeConnection, type Grant, type StoreResult } from "./persist";
import { revokeQuietly } from "@/lib/tokens/engine";
import { discoverFor, redeemCode } from "./redeem";

type AttemptFields = Pick<
  OauthAttemptRow,
  "id" | "userId" | "clientRef" | "scopes" | "accessType" | "connectionName" | "reconnectId" | "createdAt"
>;

interface FinishInput {
  attempt: AttemptFields;
  client: ClientCredentials;
  dc: DataCentre;
  code: string;
  redirectUri?: string;
  actor: Actor;
  ip: string | null;
  /** A connect link's expected Zoho user (lower case): anyone else's consent is refused. */
  expectedEmail?: string | null;
  /** Audit action name, e.g. `connection.self_client` for pasted codes. */
  via?: "consent" | "self_client";
  /** The connect link whose owner consented: the connection's history names them and it. */
  link?: number;
}

type FinishResult = { ok: true; outcome: ConnectedOutcome } | { ok: false; outcome: FailedOutcome };


/**
 * From a vetted code to a stored connection: exchange, who consented, organisations, then one
 * transaction. Every failure is saved on the attempt and audited; none leaves a row behind, and
 * none after the exchange leaves the fresh tokens live at Zoho.
 */
export async function finishGrant(input: FinishInput): Promise<FinishResult> {
  const { attempt, client, dc, actor, ip } = input;
  const fail = async (why: FlowFailure | ZohoFailure, extra: Record<string, unknown> = {}): Promise<FinishResult> => {
    const zoho = typeof why === "string" ? undefined : why;
    const outcome: FailedOutcome = zoho ? { status: "failed", code: zoho.code, zoho } : { status: "failed", code: why as FlowFailure };
    await saveOutcome(attempt.id, outcome);
    noteRequest({ outcome: outcome.code });
    await recordAudit({
      actor,
      action: "connection.callback",
      target: { type: "oauth_attempt", id: attempt.id },
      outcome: "failure",
      detail: {
        reason: outcome.code,
        client: client.id,
        location: dc.location,
        ...(zoho ? { operation: zoho.operation } : {}),
        ...extra,
      },
      ip,
    });
    return { ok: false, outcome };
  };

  const before = attempt.reconnectId ? await loadConnection(attempt.reconnectId) : undefined;
  if (attempt.reconnectId && (!before || before.clientRef !== client.id || revokedSince(before, attempt.createdAt))) {
    return fail("reconnect_missing");
  }

  const redeemed = await redeemCode({
    client,
    dc,
    code: input.code,
    redirectUri: input.redirectUri,
    scopesRequested: attempt.scopes,
  });
  if (!redeemed.ok) return fail(redeemed.failure);
  const { grant } = redeemed;
  const fresh = grant.tokens.refreshToken ?? grant.tokens.accessToken;

  // A reconnect must prove it is the same Zoho user. Without user info (the profile scope was
  // not granted) it cannot, and storing the tokens would put another user's access under this
  // connection's name while revoking the original's working refresh token.
  if (before?.zuid && (!grant.user || grant.user.zuid !== before.zuid)) {
    await revokeQuietly(dc, fresh);
    return fail("reconnect_other_user", { userKnown: !!grant.user });
  }

  if (input.expectedEmail && grant.user?.email?.toLowerCase() !== input.expectedEmail.toLowerCase()) {
    await revokeQuietly(dc, fresh);
    return fail("link_other_user", { userKnown: !!grant.user });
  }

  // Zoho now holds live tokens for this consent: until the transaction commits, every way out
  // revokes them, an unexpected error (a busy database, a bug) included.
  let stored: StoreResult;
  let plan: BindingPlan;
  try {
    // Discovery problems are reported, never fatal: the token is kept and the admin binds later.
    const discovery = await discoverFor(dc, grant.tokens.accessToken, grant.scopesGranted);
    plan = planBinding(discovery, (before?.orgBinding ?? {}) as OrgBinding, servicesOf(grant.scopesGranted));
    stored = await storeConnection({
      clientRef: client.id,
      name: before?.name ?? attempt.connectionName,
      accessType: before?.accessType ?? attempt.accessType,
      createdBy: attempt.userId,
      reconnectId: before?.id,
      attemptStartedAt: attempt.createdAt,
      selfClient: input.via === "self_client",
      grant,
      binding: plan.binding,
    });
  } catch (e) {
    const gone = e instanceof ReconnectGone ? "reconnect_missing" : e instanceof ClientGone ? "client_missing" : undefined;
    if (!gone) log("connect").error({ attemptId: attempt.id, error: errorText(e) }, "not stored after Zoho's answer");
    const revoked = await revokeQuietly(dc, fresh);
    return gone ? fail(gone, { freshTokensRevoked: revoked }) : fail("internal", { freshTokensRevoked: revoked });
  }

  const outcome: ConnectedOutcome = {
    status: "connected",
    connectionId: stored.connectionId,
    reconnected: !!before,
    needsBinding: plan.needsChoice,
    discoveryProblems: plan.problems,
    evicted: stored.evicted,
    budgetUsed: stored.budgetUsed,
    missingRefreshToken: attempt.accessType === "offline" && !grant.tokens.refreshToken,
  };
  // The tokens are stored now, so revoking them would break the connection: bookkeeping that
  // fails from here on is logged and the connection stands.
  try {
    await saveOutcome(attempt.id, outcome);
    await recordStored(input, before, grant, plan, stored);
  } catch (e) {
    log("connect").error({ attemptId: attempt.id, connectionId: stored.connectionId, error: errorText(e) }, "connection stored, bookkeeping failed");
  }
  return { ok: true, outcome };
}

/** Revokes the token a reconnect replaced and audits the new connection and any evictions. */
async function recordStored(input: FinishInput, before: ConnectionRow | undefined, grant: Grant, plan: BindingPlan, stored: StoreResult) {
  const { attempt, client, dc, ip } = input;
  // Through a connect link nobody of the console consented: the history says who did, and how.
  const actor: Actor = input.link
    ? { type: "system", label: `authorized through a connect link by ${grant.user?.email ?? "a Zoho user"}` }
    : input.actor;
  const replacedRevoked = stored.replacedRefreshToken ? await revokeQuietly(dc, stored.replacedRefreshToken) : undefined;
  await recordAudit({
    actor,
    action: before ? "connection.reconnect" : input.via === "self_client" ? "connection.self_client" : "connection.create",
    target: { type: "connection", id: stored.connectionId },
    detail: {
      name: before?.name ?? attempt.connectionName,
      client: client.id,
      zohoEmail: grant.user?.email ?? null,
      location: dc.location,
      accessType: before?.accessType ?? attempt.accessType,
      scopesGranted: grant.scopesGranted,
      bound: Object.keys(plan.binding),
      awaitingBinding: plan.needsChoice,
      evicted: stored.evicted.map((c) => c.id),
      ...(input.link ? { connectLink: input.link } : {}),
      ...(before?.revokedAt ? { afterRevoke: true } : {}),
      ...(replacedRevoked !== undefined ? { previousRefreshTokenRevoked: replacedRevoked } : {}),
      ...(stored.oldRefreshTokenNotRevoked ? { oldRefreshTokenNotRevoked: true } : {}),
    },
    ip,
  });
  for (const ev of stored.evicted) {
    await recordAudit({
      actor,
      action: "connection.evicted",
      target: { type: "connection", id: ev.id },
      outcome: "success",
      detail: { name: ev.name, byConnection: stored.connectionId, zohoEmail: grant.user?.email ?? null, client: client.id },
      ip,
    });
  }
}
