import "server-only";
import { config } from "@/lib/config";
import { dataCentre, type DataCentre, type DcLocation, type Realm } from "@/lib/zoho";

// Binds the pure protocol layer to this console's configuration: where the sandbox lives and
// which redirect URI Zoho must know.
export const sandboxConfigured = () => config().ZOHO_SANDBOX_URL !== "";

export const availableRealms = (): Realm[] => (sandboxConfigured() ? ["sandbox", "live"] : ["live"]);

/** The sandbox base URL for the sandbox realm, undefined for live Zoho. */
export function realmBase(realm: Realm): string | undefined {
  if (realm !== "sandbox") return undefined;
  if (!sandboxConfigured()) throw new Error("The Zoho sandbox is not configured (ZOHO_SANDBOX_URL is empty).");
  return config().ZOHO_SANDBOX_URL;
}

export const realmDataCentre = (realm: Realm, location: DcLocation): DataCentre => dataCentre(realm, location, realmBase(realm));

const REDIRECT_PATH = "/api/oauth/callback";
export const redirectUri = () => `${config().CONSOLE_PUBLIC_URL}${REDIRECT_PATH}`;

export const REALM_LABELS: Record<Realm, string> = { live: "Live Zoho", sandbox: "Local sandbox" };
