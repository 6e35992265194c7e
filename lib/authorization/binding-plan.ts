/**
 * Organisation binding as plain rules: what a fresh discovery means for a connection's binding.
 * One option binds itself; several wait for the admin; a binding that is still offered is kept.
 */
import type { OrgBinding } from "@/db/enums";
import { isOrgService, type DiscoveryResults, type OrgServiceId, type ServiceId } from "@/lib/zoho";
import type { DiscoveryProblem } from "./outcome";

export type { OrgBinding };

export interface BindingPlan {
  binding: OrgBinding;
  /** Services with several options and no valid choice yet. */
  needsChoice: OrgServiceId[];
  problems: DiscoveryProblem[];
}

const NONE_VISIBLE: Record<OrgServiceId, string> = {
  desk: "This Zoho user sees no Desk organisation.",
  salesiq: "This Zoho user sees no SalesIQ portal.",
  assist: "This Zoho user has no Assist organisation.",
};

const orgServicesOf = (services: readonly ServiceId[]): OrgServiceId[] => services.filter(isOrgService);

export function planBinding(discovery: DiscoveryResults, existing: OrgBinding, services: readonly ServiceId[]): BindingPlan {
  const binding: OrgBinding = {};
  const needsChoice: OrgServiceId[] = [];
  const problems: DiscoveryProblem[] = [];

  for (const service of orgServicesOf(services)) {
    const outcome = discovery[service];
    if (!outcome) continue;
    if (!outcome.ok) {
      problems.push({ service, message: outcome.error.userMessage, advice: outcome.error.advice });
      // A failed lookup says nothing about the old choice: keep it.
      if (existing[service]) Object.assign(binding, { [service]: existing[service] });
      continue;
    }
    if (outcome.options.length === 0) {
      problems.push({ service, message: NONE_VISIBLE[service], advice: "Check the user's access in Zoho, then change the binding." });
      continue;
    }
    if (service === "desk") {
      const opts = discovery.desk!.ok ? discovery.desk!.options : [];
      const kept = opts.find((o) => o.id === existing.desk?.orgId);
      const pick = kept ?? (opts.length === 1 ? opts[0] : undefined);
      if (pick) binding.desk = { orgId: pick.id, name: pick.name, ...(pick.portalName ? { portalName: pick.portalName } : {}) };
      else needsChoice.push("desk");
    } else if (service === "salesiq") {
      const opts = discovery.salesiq!.ok ? discovery.salesiq!.options : [];
      const kept = opts.find((o) => o.id === existing.salesiq?.screenName);
      const pick = kept ?? (opts.length === 1 ? opts[0] : undefined);
      if (pick) binding.salesiq = { screenName: pick.id, name: pick.name };
      else needsChoice.push("salesiq");
    } else {
      // Assist binds the token to one org at consent; only the department is left to choose.
      const org = discovery.assist!.ok ? discovery.assist!.options[0] : undefined;
      if (!org) continue;
      const sameOrg = existing.assist?.orgId === org.id;
      const dept =
        org.departments.find((d) => sameOrg && d.id === existing.assist?.departmentId) ??
        (org.departments.length === 1 ? org.departments[0] : undefined);
      binding.assist = {
        orgId: org.id,
        name: org.name,
        ...(org.environment ? { environment: org.environment } : {}),
        ...(dept ? { departmentId: dept.id, departmentName: dept.name } : {}),
      };
      if (!dept && org.departments.length > 1) needsChoice.push("assist");
    }
  }
  return { binding, needsChoice, problems };
}

export interface BindingChoice {
  desk?: string;
  salesiq?: string;
  assistDepartment?: string;
}

/**
 * Applies the admin's choice to a fresh discovery. Only values the discovery offered are taken;
 * anything else is an error naming the service.
 */
export function applyBindingChoice(
  discovery: DiscoveryResults,
  current: OrgBinding,
  choice: BindingChoice,
): { ok: true; binding: OrgBinding } | { ok: false; field: string; error: string } {
  const binding: OrgBinding = { ...current };
  if (choice.desk !== undefined) {
    const o = discovery.desk?.ok ? discovery.desk.options.find((x) => x.id === choice.desk) : undefined;
    if (!o) return { ok: false, field: "desk", error: "Choose one of the Desk organisations listed." };
    binding.desk = { orgId: o.id, name: o.name, ...(o.portalName ? { portalName: o.portalName } : {}) };
  }
  if (choice.salesiq !== undefined) {
    const o = discovery.salesiq?.ok ? discovery.salesiq.options.find((x) => x.id === choice.salesiq) : undefined;
    if (!o) return { ok: false, field: "salesiq", error: "Choose one of the SalesIQ portals listed." };
    binding.salesiq = { screenName: o.id, name: o.name };
  }
  if (choice.assistDepartment !== undefined) {
    const org = discovery.assist?.ok ? discovery.assist.options[0] : undefined;
    const d = org?.departments.find((x) => x.id === choice.assistDepartment);
    if (!org || !d) return { ok: false, field: "assistDepartment", error: "Choose one of the Assist departments listed." };
    binding.assist = {
      orgId: org.id,
      name: org.name,
      ...(org.environment ? { environment: org.environment } : {}),
      departmentId: d.id,
      departmentName: d.name,
    };
  }
  return { ok: true, binding };
}
