/**
 * Organisation discovery (zoho-oauth.md §6): a token is worth nothing without its org. Each
 * service is asked on its own product base of the connection's DC, and one failing service
 * never hides the answers of the others.
 */
import type { DataCentre, DcLocation } from "./data-centres";
import { idString, isRecord, optString, zohoHttp, type HttpOptions } from "./http";
import { authHeader, resourceBody } from "./resource-response";
import { ASSIST } from "./catalogue/assist";
import { DESK } from "./catalogue/desk";
import { SALESIQ } from "./catalogue/salesiq";
import type { OrgServiceId, ServiceId } from "./scope-catalogue";
import { ZohoError, type ZohoErrorContext, type ZohoOperation } from "./zoho-error";

interface DeskOrgOption {
  service: "desk";
  /** Sent as the `orgId` header on every other Desk call. */
  id: string;
  name: string;
  portalName?: string;
  portalUrl?: string;
  isDefault: boolean;
  edition?: string;
}

export type AssistEnvironment = "Production" | "Sandbox" | "Developer";

interface AssistOrgOption {
  service: "assist";
  /** The `zsoid` the token was bound to at consent. */
  id: string;
  name: string;
  /** Device calls need one of these in `x-com-zoho-assist-department-id`. */
  departments: { id: string; name: string }[];
  environment?: AssistEnvironment;
}

interface SalesIqPortalOption {
  service: "salesiq";
  /** The portal's screen name; later calls live under `/api/v2/{screenname}/…`. */
  id: string;
  name: string;
}

type OrgOption = DeskOrgOption | AssistOrgOption | SalesIqPortalOption;

type DiscoveryOutcome<T extends OrgOption = OrgOption> = { ok: true; options: T[] } | { ok: false; error: ZohoError };

interface ProductCall extends HttpOptions {
  /** The service's product base, e.g. `dc.products.desk`. */
  base: string;
  accessToken: string;
  location?: DcLocation;
  operation?: ZohoOperation;
}

/**
 * What each discovery call needs and is for, so a scope error names the scope to add (Desk lists
 * organisations only to a token holding Desk.basic.READ). Same scopes as the catalogue's.
 */
const needs = (s: typeof DESK) => ({ neededScope: s.discovery.scope, purpose: s.discovery.purpose });
const NEEDS: Record<OrgServiceId, Pick<ZohoErrorContext, "neededScope" | "purpose">> = { desk: needs(DESK), assist: needs(ASSIST), salesiq: needs(SALESIQ) };

async function getJson(
  call: ProductCall,
  service: OrgServiceId,
  path: string,
): Promise<{ body: Record<string, unknown> | unknown[]; ctx: ZohoErrorContext }> {
  const ctx: ZohoErrorContext = { operation: call.operation ?? "discovery", location: call.location, ...NEEDS[service] };
  const res = await zohoHttp({
    url: `${call.base.replace(/\/+$/, "")}${path}`,
    method: "GET",
    headers: authHeader(call.accessToken),
    ctx,
    timeoutMs: call.timeoutMs,
    fetchImpl: call.fetchImpl,
    signal: call.signal,
  });
  return { body: resourceBody(res, ctx), ctx: { ...ctx, host: res.host, status: res.status } };
}

function dataArray(body: unknown, ctx: ZohoErrorContext): unknown[] {
  if (!isRecord(body)) throw new ZohoError("malformed", ctx, "(no data list)");
  // Desk answers an org-less user with 204/empty; treat a missing list as none.
  if (body.data === undefined) return [];
  if (!Array.isArray(body.data)) throw new ZohoError("malformed", ctx, "(no data list)");
  return body.data;
}

export async function discoverDeskOrganisations(call: ProductCall): Promise<DeskOrgOption[]> {
  const { body, ctx } = await getJson(call, "desk", "/api/v1/organizations");
  return dataArray(body, ctx).flatMap((o): DeskOrgOption[] => {
    if (!isRecord(o)) return [];
    const id = idString(o.id);
    if (!id) return [];
    const option: DeskOrgOption = {
      service: "desk",
      id,
      name: optString(o.companyName, 200) ?? optString(o.portalName, 200) ?? id,
      isDefault: o.isDefault === true,
    };
    const portalName = optString(o.portalName, 200);
    if (portalName) option.portalName = portalName;
    const portalUrl = optString(o.portalURL, 500);
    if (portalUrl) option.portalUrl = portalUrl;
    const edition = optString(o.edition, 60);
    if (edition) option.edition = edition;
    return [option];
  });
}

function environmentOf(...values: unknown[]): AssistEnvironment | undefined {
  for (const v of values) {
    if (typeof v !== "string") continue;
    const found = (["Production", "Sandbox", "Developer"] as const).find((e) => e.toLowerCase() === v.trim().toLowerCase());
    if (found) return found;
  }
  return undefined;
}

/** Assist binds a token to one org at consent, so there is exactly one option. */
export async function discoverAssistOrganisation(call: ProductCall): Promise<AssistOrgOption[]> {
  const { body, ctx } = await getJson(call, "assist", "/api/v2/user");
  const rep = isRecord(body) ? body.representation : undefined;
  const org = isRecord(rep) ? rep.org_details : undefined;
  if (!isRecord(rep) || !isRecord(org)) throw new ZohoError("malformed", ctx, "(no org_details)");
  const id = idString(org.zsoid);
  if (!id) throw new ZohoError("malformed", ctx, "(no zsoid)");
  const departments = (Array.isArray(rep.departments) ? rep.departments : []).flatMap((d) => {
    if (!isRecord(d)) return [];
    const depId = idString(d.department_id);
    if (!depId) return [];
    return [{ id: depId, name: optString(d.display_name, 200) ?? optString(d.department_name, 200) ?? depId }];
  });
  const option: AssistOrgOption = { service: "assist", id, name: optString(org.org_name, 200) ?? id, departments };
  const environment = environmentOf(org.environment, rep.environment, org.org_type);
  if (environment) option.environment = environment;
  return [option];
}

export async function discoverSalesIqPortals(call: ProductCall): Promise<SalesIqPortalOption[]> {
  const { body, ctx } = await getJson(call, "salesiq", "/api/v2/portals");
  return dataArray(body, ctx).flatMap((p): SalesIqPortalOption[] => {
    if (!isRecord(p)) return [];
    const id = optString(p.screenname, 100);
    if (!id || !/^[\w.-]+$/.test(id)) return [];
    return [{ service: "salesiq", id, name: optString(p.name, 200) ?? id }];
  });
}

export const ORG_DISCOVERERS: { [K in OrgServiceId]: (call: ProductCall) => Promise<Extract<OrgOption, { service: K }>[]> } = {
  desk: discoverDeskOrganisations,
  assist: discoverAssistOrganisation,
  salesiq: discoverSalesIqPortals,
};

export function isOrgService(s: ServiceId): s is OrgServiceId {
  return s === "desk" || s === "assist" || s === "salesiq";
}

interface DiscoverOptions extends HttpOptions {
  dc: DataCentre;
  accessToken: string;
  /** `profile` is ignored: it has no organisation. */
  services: readonly ServiceId[];
}

export type DiscoveryResults = Partial<{ [K in OrgServiceId]: DiscoveryOutcome<Extract<OrgOption, { service: K }>> }>;

/** Runs every service's discovery in parallel; each gets its own outcome. */
export async function discoverOrganisations(opts: DiscoverOptions): Promise<DiscoveryResults> {
  const services = [...new Set(opts.services.filter(isOrgService))];
  const outcomes = await Promise.all(
    services.map(async (service): Promise<[OrgServiceId, DiscoveryOutcome]> => {
      try {
        const options = await ORG_DISCOVERERS[service]({
          base: opts.dc.products[service],
          accessToken: opts.accessToken,
          location: opts.dc.location,
          timeoutMs: opts.timeoutMs,
          fetchImpl: opts.fetchImpl,
          signal: opts.signal,
        });
        return [service, { ok: true, options }];
      } catch (e) {
        if (e instanceof ZohoError) return [service, { ok: false, error: e }];
        throw e;
      }
    }),
  );
  return Object.fromEntries(outcomes) as DiscoveryResults;
}
