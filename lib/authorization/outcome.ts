/**
 * What an authorization attempt ended in, kept as JSON on its attempt row so the result page can
 * say it to the user who started it (and to nobody else). Holds no code, token or secret.
 */
import type { OrgServiceId } from "@/lib/zoho";
import { isFlowFailure, type FlowFailure, type ZohoFailure } from "./failures";

export interface EvictedConnection {
  id: number;
  name: string;
}

export interface DiscoveryProblem {
  service: OrgServiceId;
  message: string;
  advice: string;
}

export interface ConnectedOutcome {
  status: "connected";
  connectionId: number;
  reconnected: boolean;
  /** Services that offer several organisations and still wait for the admin's choice. */
  needsBinding: OrgServiceId[];
  discoveryProblems: DiscoveryProblem[];
  evicted: EvictedConnection[];
  /** Live refresh tokens for this client and Zoho user after this consent (ours only). */
  budgetUsed: number | null;
  /** Offline was asked for but Zoho sent no refresh token. */
  missingRefreshToken: boolean;
}

export interface FailedOutcome {
  status: "failed";
  code: FlowFailure | ZohoFailure["code"];
  zoho?: ZohoFailure;
  /** Zoho's short error value on a refused consent, e.g. `invalid_scope`. */
  consentError?: string;
  location?: string;
}

export type ConnectOutcome = ConnectedOutcome | FailedOutcome;

export function parseOutcome(raw: string | null | undefined): ConnectOutcome | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as ConnectOutcome;
    if (value?.status === "connected" && Number.isInteger(value.connectionId)) return value;
    if (value?.status === "failed" && (isFlowFailure(value.code) || (typeof value.code === "string" && value.code.startsWith("zoho_")))) {
      return value;
    }
  } catch {
    // An unreadable outcome is shown as unknown rather than breaking the page.
  }
  return null;
}
