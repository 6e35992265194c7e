import "server-only";
import type { OrgBinding } from "@/db/schema";
import { clientFacts, listClients, type ClientDto } from "@/lib/clients";
import { loadConnection } from "@/lib/connections/queries";
import type { AccessType, DcLocation, Realm } from "@/lib/zoho";
import { attemptForUser } from "./attempts";
import { budgetUseForClient, evictionRisks, liveRefreshTokenCount, reconnectEvictions, type BudgetUse, type EvictionRisk } from "./budget";
import type { ConnectOutcome } from "./outcome";

export interface WizardClient {
  id: number;
  name: string;
  realm: Realm;
  homeDc: DcLocation;
  multiDc: boolean;
  enabledDcs: DcLocation[];
  budget: BudgetUse[];
  /** Zoho users at 19 or 20 of 20, with the connection their next consent costs. */
  evictionRisks: EvictionRisk[];
}

const wizardClient = async (c: ClientDto): Promise<WizardClient> => ({
  id: c.id,
  name: c.name,
  realm: c.realm,
  homeDc: c.homeDc,
  multiDc: c.multiDc,
  enabledDcs: c.enabledDcs,
  ...(await budgetAndRisks(c.id)),
});

async function budgetAndRisks(clientRef: number) {
  const budget = await budgetUseForClient(clientRef);
  return { budget, evictionRisks: await evictionRisks(clientRef, budget) };
}

const clientsOfType = async (type: ClientDto["clientType"]) =>
  Promise.all((await listClients()).filter((c) => c.clientType === type).map(wizardClient));

/** Server-based clients, which go through Zoho's consent page, with their refresh-token budget. */
export const consentClients = (): Promise<WizardClient[]> => clientsOfType("server");
export const selfClients = (): Promise<WizardClient[]> => clientsOfType("self");

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
  /** Connections Zoho drops when this connection's user consents again (offline only). */
  reconnectEvicts: { id: number; name: string }[];
}

export async function connectionSummary(id: number): Promise<ConnectionSummary | undefined> {
  const c = await loadConnection(id);
  if (!c) return undefined;
  return {
    id: c.id,
    name: c.name,
    clientRef: c.clientRef,
    clientName: (await clientFacts(c.clientRef))?.name ?? `client ${c.clientRef}`,
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
    budgetUsed: c.zuid ? await liveRefreshTokenCount(c.clientRef, c.zuid) : null,
    reconnectEvicts: c.accessType === "offline" ? await reconnectEvictions(c) : [],
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
export async function resultView(attemptId: number, userId: number): Promise<ResultView | undefined> {
  const found = await attemptForUser(attemptId, userId);
  if (!found) return undefined;
  const { attempt, outcome } = found;
  return {
    attemptId: attempt.id,
    clientRef: attempt.clientRef,
    scopes: attempt.scopes,
    connectionName: attempt.connectionName,
    reconnectId: attempt.reconnectId,
    outcome,
    ...(outcome?.status === "connected" ? { connection: await connectionSummary(outcome.connectionId) } : {}),
  };
}
