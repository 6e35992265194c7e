/**
 * What a link asks for, in words its owner can judge: per Zoho service, each scope with what it
 * allows, from the scope catalogue. Pure, so the public pages and the console's list share it.
 */
import { findScope, serviceEntry, servicesOf, type ServiceId } from "@/lib/zoho";

export interface ScopeInWords {
  scope: string;
  allows: string;
  /** `.ALL` scopes: every operation on the resource. */
  broad: boolean;
}

export interface ServiceInWords {
  id: ServiceId | "other";
  name: string;
  about: string;
  scopes: ScopeInWords[];
}

const UNKNOWN = "A permission the console's scope catalogue does not describe; ask the requester what it is for.";

export function describeScopes(scopes: readonly string[]): ServiceInWords[] {
  const known = servicesOf(scopes).map((id): ServiceInWords => {
    const entry = serviceEntry(id);
    return { id, name: entry.name, about: entry.description, scopes: [] };
  });
  const other: ServiceInWords = { id: "other", name: "Other", about: "Scopes outside Desk, Assist, SalesIQ and the Zoho profile.", scopes: [] };
  for (const scope of scopes) {
    const entry = findScope(scope);
    const service = known.find((s) => scope.toLowerCase().startsWith(`${serviceEntry(s.id as ServiceId).scopePrefix.toLowerCase()}.`)) ?? other;
    service.scopes.push({ scope: entry?.scope ?? scope, allows: entry?.description ?? UNKNOWN, broad: !!entry?.broad });
  }
  return other.scopes.length ? [...known, other] : known;
}
