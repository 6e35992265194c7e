import "server-only";
import type { OrgBinding } from "@/db/schema";
import { getClient, listClients, type ClientDto } from "@/lib/clients";
import type { AccessType, DcLocation, Realm } from "@/lib/zoho";
import { attemptForUser } from "./attempts";
import { budgetUseForClient, liveRefreshTokenCount, type BudgetUse } from "./budget";
import { getConnectionRow } from "./binding";
import type { ConnectOutcome } from "./outcome";

export interface WizardClient {
  id: number;
  name: string;
  realm: Realm;
  homeDc: DcLocation;
  multiDc: boolean;
  enabledDcs: DcLocation[];
  budget: BudgetUse[];
}

const wizardClient = (c: ClientDto): WizardClient => ({
  id: c.id,
  name: c.name,
  realm: c.realm,
  homeDc: c.homeDc,
  multiDc: c.multiDc,
  enabledDcs: c.enabledDcs,
  budget: budgetUseForClient(c.id),
});

/** Server-based clients, which go through Zoho's consent page, with their refresh-token budget. */
export const consentClients = (): WizardClient[] => listClients().filter((c) => c.clientType === "server").map(wizardClient);
export const selfClients = (): WizardClient[] => listClients().filter((c) => c.clientType === "self").map(wizardClient);

/** A connection as the connect pages show it: never a token, at most whether one exists. */
export interface ConnectionSummary {
  id: number;
  name: string;
  clientRef: number;
  clientName: string;
  accessType: AccessType;
  zuid: string | null;
  zohoEmail: string | null;
  zohoName: string | null;
  location: string;
  accountsServer: string;
  apiDomain: string;
  scopesRequested: string[];
  scopesGranted: string[];
  orgBinding: OrgBinding;
  hasRefreshToken: boolean;
  accessTokenExpiresAt: string | null;
  reauthReason: string | null;
  revoked: boolean;
  /** Live refresh tokens of this client and Zoho user, ours only. */
  budgetUsed: number | null;
}

export function connectionSummary(id: number): ConnectionSummary | undefined {
  const c = getConnectionRow(id);
  if (!c) return undefined;
  return {
    id: c.id,
    name: c.name,
    clientRef: c.clientRef,
    clientName: getClient(c.clientRef)?.name ?? `client ${c.clientRef}`,
    accessType: c.accessType,
    zuid: c.zuid,
    zohoEmail: c.zohoEmail,
    zohoName: c.zohoName,
    location: c.location,
    accountsServer: c.accountsServer,
    apiDomain: c.apiDomain,
    scopesRequested: c.scopesRequested,
    scopesGranted: c.scopesGranted,
    orgBinding: c.orgBinding as OrgBinding,
    hasRefreshToken: !!c.refreshTokenEnc,
    accessTokenExpiresAt: c.accessTokenExpiresAt?.toISOString() ?? null,
    reauthReason: c.reauthReason,
    revoked: !!c.revokedAt,
    budgetUsed: c.zuid ? liveRefreshTokenCount(c.clientRef, c.zuid) : null,
  };
}

export interface ResultView {
  attemptId: number;
  clientRef: number;
  scopes: string[];
  connectionName: string;
  reconnectId: number | null;
  outcome: ConnectOutcome | null;
  connection?: ConnectionSummary;
}

/** The outcome of one of the user's own attempts; someone else's is not found. */
export function resultView(attemptId: number, userId: number): ResultView | undefined {
  const found = attemptForUser(attemptId, userId);
  if (!found) return undefined;
  const { attempt, outcome } = found;
  return {
    attemptId: attempt.id,
    clientRef: attempt.clientRef,
    scopes: attempt.scopes,
    connectionName: attempt.connectionName,
    reconnectId: attempt.reconnectId,
    outcome,
    ...(outcome?.status === "connected" ? { connection: connectionSummary(outcome.connectionId) } : {}),
  };
}
