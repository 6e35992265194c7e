/** Types of the scope catalogue; the data sits beside this file, one file per service. */

export const SERVICE_IDS = ["desk", "assist", "salesiq", "profile"] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

/** Services whose tokens need an organisation binding before they are useful. */
export type OrgServiceId = Exclude<ServiceId, "profile">;

/** Zoho's operations; `WRITE` exists in Desk only (create + update + delete). */
export const SCOPE_OPERATIONS = ["ALL", "READ", "CREATE", "UPDATE", "DELETE", "WRITE"] as const;
export type ScopeOperation = (typeof SCOPE_OPERATIONS)[number];

type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiRef {
  /** Human name as Zoho's docs call it, e.g. "Chat list". */
  name: string;
  method: HttpMethod;
  /** Path on the service's product base URL, with `{placeholders}`. */
  path: string;
}

export interface ScopeEntry {
  /** Exactly as sent to Zoho, e.g. `SalesIQ.chatdetails.READ`. */
  scope: string;
  service: ServiceId;
  /** Middle part(s), e.g. `chatdetails` or `unattended.computer`. */
  resource: string;
  operation: ScopeOperation;
  description: string;
  apis: ApiRef[];
  /** `.ALL` scopes grant every operation on the resource: shown as broad. */
  broad?: boolean;
  /** Which generation of the service's API the scope belongs to, where Zoho has two. */
  apiVersion?: "v1" | "v2";
}

interface OrgDiscovery {
  /** Plain explanation shown next to the service. */
  description: string;
  /** Where discovery is called: a product base (`desk`, …) or the accounts server. */
  base: "desk" | "assist" | "salesiq" | "accounts";
  method: "GET";
  path: string;
  /** The scope that discovery call needs; the picker can suggest adding it. */
  scope: string;
  /** What the call is for, completing "… needs <scope> to <purpose>", e.g. "choose a Desk organisation". */
  purpose: string;
}

export interface ServiceEntry {
  id: ServiceId;
  name: string;
  /** The first part of every scope of the service, e.g. `ZohoAssist`. */
  scopePrefix: string;
  description: string;
  discovery: OrgDiscovery;
  scopes: ScopeEntry[];
}

/** Small builder so the data files read like Zoho's scope tables. */
export function scopeOf(
  service: ServiceId,
  prefix: string,
  resource: string,
  operation: ScopeOperation,
  description: string,
  apis: ApiRef[] = [],
  extra: Pick<ScopeEntry, "apiVersion"> = {},
): ScopeEntry {
  const entry: ScopeEntry = {
    scope: `${prefix}.${resource}.${operation}`,
    service,
    resource,
    operation,
    description,
    apis,
    ...extra,
  };
  if (operation === "ALL") entry.broad = true;
  return entry;
}

export function api(name: string, method: HttpMethod, path: string): ApiRef {
  return { name, method, path };
}
