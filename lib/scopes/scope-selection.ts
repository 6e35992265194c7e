/**
 * The scope picker's rules as plain functions, so the connect wizard can run the same check on
 * the server that the picker runs in the browser. Grammar and catalogue come from `lib/zoho`.
 * No React and no "server-only" here on purpose: server actions and the browser picker both use it.
 */
import { findScope, SCOPE_CATALOGUE, servicesOf, SERVICES, type ServiceEntry } from "@/lib/zoho/scope-catalogue";
import { parseScopeString } from "@/lib/zoho/scope-string";

export const EMPTY_SELECTION_MESSAGE = "Choose at least one scope";
export const SCOPE_EXAMPLE = "SalesIQ.chatdetails.READ";

const CATALOGUE_ORDER = new Map(SCOPE_CATALOGUE.map((e, i) => [e.scope.toLowerCase(), i]));

/** The words for malformed scopes, in the picker and in the forms' schemas alike. */
export const invalidScopesMessage = (invalid: readonly string[]) => `Not a Zoho scope (expected Service.scope.OPERATION): ${invalid.join(", ")}`;

/**
 * Null when the selection may be sent to Zoho, else what to tell the user.
 * Accepts the hidden field's comma-separated value as well as an array.
 */
export function validateScopeSelection(scopes: string | readonly string[]): string | null {
  const parsed = parseScopeString(scopes);
  if (parsed.invalid.length) return invalidScopesMessage(parsed.invalid);
  if (parsed.scopes.length === 0) return EMPTY_SELECTION_MESSAGE;
  return null;
}

/**
 * Well-formed scopes only, deduplicated, catalogue casing, in catalogue order with unknown scopes
 * after them: the same set always yields the same scope string, whatever the click order.
 */
export function normaliseSelection(scopes: string | readonly string[]): string[] {
  const parsed = parseScopeString(scopes).scopes;
  const rank = (s: string) => CATALOGUE_ORDER.get(s.toLowerCase()) ?? Number.MAX_SAFE_INTEGER;
  // Array.prototype.sort is stable, so unknown scopes keep the order they were added in.
  return [...parsed].sort((a, b) => rank(a) - rank(b));
}

export type SelectionAction =
  | { type: "toggle"; scope: string }
  | { type: "add"; scopes: readonly string[] }
  | { type: "remove"; scope: string }
  | { type: "clear" };

const has = (selected: readonly string[], scope: string) => selected.some((s) => s.toLowerCase() === scope.toLowerCase());

/** Returns the same array when nothing changed, so callers can skip `onChange`. */
export function selectionReducer(selected: string[], action: SelectionAction): string[] {
  switch (action.type) {
    case "toggle":
      return has(selected, action.scope)
        ? selectionReducer(selected, { type: "remove", scope: action.scope })
        : selectionReducer(selected, { type: "add", scopes: [action.scope] });
    case "add": {
      const fresh = parseScopeString(action.scopes).scopes.filter((s) => !has(selected, s));
      return fresh.length ? normaliseSelection([...selected, ...fresh]) : selected;
    }
    case "remove": {
      const next = selected.filter((s) => s.toLowerCase() !== action.scope.toLowerCase());
      return next.length === selected.length ? selected : next;
    }
    case "clear":
      return selected.length ? [] : selected;
  }
}

type CustomScopeCheck =
  | { ok: false; error: string }
  | { ok: true; scopes: string[]; unknown: string[] };

/** What the custom-scope box accepts: one or more pasted scopes, all well-formed. */
export function checkCustomScope(input: string): CustomScopeCheck {
  if (!input.trim()) return { ok: false, error: `Type a scope such as ${SCOPE_EXAMPLE}.` };
  const parsed = parseScopeString(input);
  if (parsed.invalid.length) {
    const [first] = parsed.invalid;
    return {
      ok: false,
      error: `“${first}” is not a Zoho scope. Scopes look like Service.scope.OPERATION, e.g. ${SCOPE_EXAMPLE}; the operation is ALL, READ, CREATE, UPDATE, DELETE or WRITE.`,
    };
  }
  return { ok: true, scopes: parsed.scopes, unknown: parsed.unknown };
}

interface BroadNote {
  scope: string;
  /** What the scope covers, e.g. "tickets"; the prefix-less middle for unknown scopes. */
  resource: string;
}

interface MissingDiscovery {
  service: ServiceEntry;
  scope: string;
  /** Why the scope matters, e.g. "choose a Desk organisation". */
  purpose: string;
}

interface SelectionNotes {
  broad: BroadNote[];
  unknown: string[];
  /** Services chosen without the scope that finds their organisations. */
  missingDiscovery: MissingDiscovery[];
}

/** The `.ALL` form of a scope, when Zoho documents one (Desk.basic has no ALL). */
const allOf = (scope: string) => findScope(scope.replace(/\.[A-Za-z]+$/, ".ALL"))?.scope;

/** Everything the picker warns about for a selection. */
export function selectionNotes(selected: readonly string[]): SelectionNotes {
  const parsed = parseScopeString(selected);
  const broad = parsed.broad.map((scope) => ({
    scope,
    resource: findScope(scope)?.resource ?? scope.split(".").slice(1, -1).join("."),
  }));
  const missingDiscovery = servicesOf(parsed.scopes)
    // The profile scope is added by the connect flow itself.
    .filter((id) => id !== "profile")
    .map((id) => SERVICES.find((s) => s.id === id)!)
    .filter((svc) => {
      const all = allOf(svc.discovery.scope);
      return !has(parsed.scopes, svc.discovery.scope) && !(all && has(parsed.scopes, all));
    })
    .map((service) => ({ service, scope: service.discovery.scope, purpose: service.discovery.purpose }));
  return { broad, unknown: parsed.unknown, missingDiscovery };
}
