import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections, type OauthAttemptRow, type OrgBinding } from "@/db/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import type { ClientCredentials } from "@/lib/clients";
import { servicesOf, type DataCentre } from "@/lib/zoho";
import { saveOutcome } from "./attempts";
import { planBinding } from "./binding-plan";
import type { FlowFailure, ZohoFailure } from "./failures";
import type { ConnectedOutcome, FailedOutcome } from "./outcome";
import { ReconnectGone, storeConnection } from "./persist";
import { discoverFor, redeemCode, revokeQuietly } from "./redeem";

export type AttemptFields = Pick<
  OauthAttemptRow,
  "id" | "userId" | "clientRef" | "scopes" | "accessType" | "connectionName" | "reconnectId"
>;

export interface FinishInput {
  attempt: AttemptFields;
  client: ClientCredentials;
  dc: DataCentre;
  code: string;
  redirectUri?: string;
  actor: Actor;
  ip: string | null;
  /** Audit action name, e.g. `connection.self_client` for pasted codes. */
  via?: "consent" | "self_client";
}

export type FinishResult = { ok: true; outcome: ConnectedOutcome } | { ok: false; outcome: FailedOutcome };

/**
 * From a vetted code to a stored connection: exchange, who consented, organisations, then one
 * transaction. Every failure is saved on the attempt and audited; none leaves a row behind.
 */
export async function finishGrant(input: FinishInput): Promise<FinishResult> {
  const { attempt, client, dc, actor, ip } = input;
  const fail = (why: FlowFailure | ZohoFailure): FinishResult => {
    const zoho = typeof why === "string" ? undefined : why;
    const outcome: FailedOutcome = zoho ? { status: "failed", code: zoho.code, zoho } : { status: "failed", code: why as FlowFailure };
    saveOutcome(attempt.id, outcome);
    recordAudit({
      actor,
      action: "connection.callback",
      target: { type: "oauth_attempt", id: attempt.id },
      outcome: "failure",
      detail: { reason: outcome.code, client: client.id, location: dc.location, ...(zoho ? { operation: zoho.operation } : {}) },
      ip,
    });
    return { ok: false, outcome };
  };

  const before = attempt.reconnectId
    ? getDb().select().from(connections).where(eq(connections.id, attempt.reconnectId)).get()
    : undefined;
  if (attempt.reconnectId && (!before || before.revokedAt || before.clientRef !== client.id)) return fail("reconnect_missing");

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

  if (before?.zuid && grant.user && before.zuid !== grant.user.zuid) {
    await revokeQuietly(dc, fresh);
    return fail("reconnect_other_user");
  }

  // Discovery problems are reported, never fatal: the token is kept and the admin binds later.
  const discovery = await discoverFor(dc, grant.tokens.accessToken, grant.scopesGranted);
  const plan = planBinding(discovery, (before?.orgBinding ?? {}) as OrgBinding, servicesOf(grant.scopesGranted));

  let stored;
  try {
    stored = storeConnection({
      clientRef: client.id,
      name: before?.name ?? attempt.connectionName,
      accessType: before?.accessType ?? attempt.accessType,
      createdBy: attempt.userId,
      reconnectId: before?.id,
      grant,
      binding: plan.binding,
    });
  } catch (e) {
    if (!(e instanceof ReconnectGone)) throw e;
    await revokeQuietly(dc, fresh);
    return fail("reconnect_missing");
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
  saveOutcome(attempt.id, outcome);

  const replacedRevoked = stored.replacedRefreshToken ? await revokeQuietly(dc, stored.replacedRefreshToken) : undefined;
  recordAudit({
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
      ...(replacedRevoked !== undefined ? { previousRefreshTokenRevoked: replacedRevoked } : {}),
    },
    ip,
  });
  for (const ev of stored.evicted) {
    recordAudit({
      actor,
      action: "connection.evicted",
      target: { type: "connection", id: ev.id },
      outcome: "success",
      detail: { name: ev.name, byConnection: stored.connectionId, zohoEmail: grant.user?.email ?? null, client: client.id },
      ip,
    });
  }
  return { ok: true, outcome };
}
