/**
 * Scope strings as people type them and as Zoho wants them.
 * Zoho wants `A.b.READ,C.d.CREATE`; people paste commas, spaces, newlines and any case.
 */
import { findScope } from "./scope-catalogue";

export const PROFILE_SCOPE = "AaaServer.profile.READ";

/**
 * `Service.scope.OPERATION`, where the middle may have several parts
 * (`ZohoAssist.unattended.computer.READ`). Operation is matched case-insensitively, as Zoho does.
 */
export const SCOPE_GRAMMAR = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9_]*)+\.(ALL|READ|CREATE|UPDATE|DELETE|WRITE)$/i;

const MAX_SCOPE_LENGTH = 120;
const MAX_INPUT_LENGTH = 8000;

function isWellFormedScope(scope: string): boolean {
  return scope.length <= MAX_SCOPE_LENGTH && SCOPE_GRAMMAR.test(scope);
}

interface ParsedScopes {
  /** Well-formed scopes (known and unknown), deduplicated, in input order, catalogue casing. */
  scopes: string[];
  /** Tokens that are not `Service.scope.OPERATION`. */
  invalid: string[];
  /** Well-formed but not in the catalogue: allowed, flagged. */
  unknown: string[];
  /** `.ALL` scopes: allowed, flagged as broad. */
  broad: string[];
}

function tokens(input: string | readonly string[]): string[] {
  const joined = typeof input === "string" ? input : input.join(",");
  // Past this length it is not a scope list; keep the work bounded.
  return joined.slice(0, MAX_INPUT_LENGTH).split(/[\s,]+/).filter(Boolean);
}

export function parseScopeString(input: string | readonly string[]): ParsedScopes {
  const out: ParsedScopes = { scopes: [], invalid: [], unknown: [], broad: [] };
  const seen = new Set<string>();
  for (const raw of tokens(input)) {
    const key = raw.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    if (!isWellFormedScope(raw)) {
      out.invalid.push(raw.length > MAX_SCOPE_LENGTH ? `${raw.slice(0, MAX_SCOPE_LENGTH)}…` : raw);
      continue;
    }
    const known = findScope(raw);
    const scope = known?.scope ?? raw;
    out.scopes.push(scope);
    if (!known) out.unknown.push(scope);
    if (scope.toUpperCase().endsWith(".ALL")) out.broad.push(scope);
  }
  return out;
}

export class InvalidScopeError extends Error {
  constructor(readonly invalid: string[]) {
    super(
      invalid.length
        ? `Not a Zoho scope (expected Service.scope.OPERATION): ${invalid.join(", ")}`
        : "At least one scope is required",
    );
    this.name = "InvalidScopeError";
  }
}

/**
 * The exact `scope` value sent to Zoho: comma separated, deduplicated, catalogue casing.
 * Throws on malformed or empty input rather than letting Zoho answer `ERROR_invalid_scope`.
 */
export function formatScopeString(scopes: string | readonly string[]): string {
  const parsed = parseScopeString(scopes);
  if (parsed.invalid.length || parsed.scopes.length === 0) throw new InvalidScopeError(parsed.invalid);
  return parsed.scopes.join(",");
}

export interface ScopeDiff {
  added: string[];
  removed: string[];
  kept: string[];
}

/** What a reconnect changes; comparison is case-insensitive like Zoho's. */
export function scopeDiff(before: string | readonly string[], after: string | readonly string[]): ScopeDiff {
  const b = parseScopeString(before).scopes;
  const a = parseScopeString(after).scopes;
  const bKeys = new Set(b.map((s) => s.toLowerCase()));
  const aKeys = new Set(a.map((s) => s.toLowerCase()));
  return {
    added: a.filter((s) => !bKeys.has(s.toLowerCase())),
    removed: b.filter((s) => !aKeys.has(s.toLowerCase())),
    // The existing spelling wins for unknown scopes typed in another case.
    kept: b.filter((s) => aKeys.has(s.toLowerCase())),
  };
}
