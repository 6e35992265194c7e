// Scope catalogue (see the shared Zoho notes, section 5): only the scopes Zoho documents, with
// the operations each resource documents. Consent answers anything else with ERROR_invalid_scope,
// as Zoho does: not every resource takes every operation (`Desk.basic` has READ and CREATE only).
// The sandbox keeps its own list on purpose: it never imports the app.

const CRUD = ["ALL", "READ", "CREATE", "UPDATE", "DELETE"];
/** Desk adds WRITE (create + update + delete) to its CRUD family. */
const DESK_CRUD = [...CRUD, "WRITE"];

interface ServiceScopes {
  label: string;
  resources: Record<string, string[]>;
}

const CATALOGUE: Record<string, ServiceScopes> = {
  desk: {
    label: "Zoho Desk",
    resources: {
      tickets: DESK_CRUD,
      contacts: DESK_CRUD,
      tasks: DESK_CRUD,
      settings: DESK_CRUD,
      basic: ["READ", "CREATE"],
      search: ["READ"],
      events: ["ALL"],
      articles: ["READ", "CREATE", "UPDATE", "DELETE"],
    },
  },
  zohoassist: {
    label: "Zoho Assist",
    // Assist's scope table is complete: these and no more.
    resources: {
      userapi: ["READ"],
      sessionapi: ["CREATE"],
      "unattended.device": ["CREATE"],
      "unattended.computer": ["READ", "UPDATE", "DELETE"],
      "unattended.group": ["READ", "CREATE", "UPDATE", "DELETE"],
      reportapi: ["READ"],
    },
  },
  salesiq: {
    label: "Zoho SalesIQ",
    resources: {
      portals: ["READ", "CREATE", "UPDATE", "ALL"],
      operators: CRUD,
      departments: CRUD,
      conversations: ["READ", "UPDATE"],
      visitors: ["ALL", "READ", "UPDATE"],
      webhooks: ["CREATE", "DELETE"],
      pushnotifications: ["UPDATE"],
      // The older v1 API's scopes, from SalesIQ's OAuth guide.
      chatdetails: ["READ"],
      chattranscript: ["READ"],
      visitordetails: ["READ", "UPDATE"],
    },
  },
  aaaserver: { label: "Zoho Accounts", resources: { profile: ["READ"] } },
};

/**
 * Scopes that appear only in Zoho's worked examples, never in a scope table: Assist's pages show
 * `ZohoAssist.sessionapi.ALL` and `ZohoAssist.users.ALL` in sample URLs, SalesIQ's guide
 * `SalesIQ.chatdetails.UPDATE`. Zoho's pages disagree with their own tables here, so the limit
 * `exampleScopes` decides; off by default, the strict reading.
 */
const EXAMPLE_SCOPES: Record<string, Record<string, string[]>> = {
  zohoassist: { sessionapi: ["ALL"], users: ["ALL"] },
  salesiq: { chatdetails: ["UPDATE"] },
};

export interface ScopeRules {
  /** Also accept the scopes of `EXAMPLE_SCOPES`. */
  exampleScopes?: boolean;
}

export interface ParsedScope {
  raw: string;
  service: string;
  resource: string;
  op: string;
}

export function parseScope(raw: string): ParsedScope | null {
  const parts = raw.split(".");
  if (parts.length < 3 || parts.some((p) => p === "")) return null;
  return {
    raw,
    service: parts[0].toLowerCase(),
    resource: parts.slice(1, -1).join(".").toLowerCase(),
    op: parts[parts.length - 1].toUpperCase(),
  };
}

const documents = (table: Record<string, string[]> | undefined, s: ParsedScope) =>
  !!table && Object.hasOwn(table, s.resource) && table[s.resource].includes(s.op);

export function isKnownScope(raw: string, rules: ScopeRules = {}): boolean {
  const s = parseScope(raw);
  if (!s) return false;
  const service = Object.hasOwn(CATALOGUE, s.service) ? CATALOGUE[s.service] : undefined;
  if (documents(service?.resources, s)) return true;
  return !!rules.exampleScopes && Object.hasOwn(EXAMPLE_SCOPES, s.service) && documents(EXAMPLE_SCOPES[s.service], s);
}

/** Zoho separates scopes with commas; stray spaces are tolerated. Null when any is invalid. */
export function parseScopeList(value: string | null | undefined, rules: ScopeRules = {}): string[] | null {
  if (!value || value.length > 4000) return null;
  const list = value
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0 || list.length > 100 || !list.every((scope) => isKnownScope(scope, rules))) return null;
  return [...new Set(list)];
}

/** True when some granted scope covers `service.resource.op` (ALL covers every operation). */
export function scopeAllows(granted: string[], service: string, resources: string[] | "*", ops: string[]): boolean {
  return granted.some((raw) => {
    const s = parseScope(raw);
    if (!s || s.service !== service.toLowerCase()) return false;
    if (resources !== "*" && !resources.includes(s.resource)) return false;
    return s.op === "ALL" || ops.includes(s.op);
  });
}

export function requestsService(scopes: string[], service: string): boolean {
  return scopes.some((raw) => parseScope(raw)?.service === service.toLowerCase());
}

const OP_WORDS: Record<string, string> = {
  ALL: "full access to",
  READ: "read",
  CREATE: "create",
  UPDATE: "update",
  DELETE: "delete",
  WRITE: "change",
};

export function describeScope(raw: string): string {
  const s = parseScope(raw);
  if (!s) return raw;
  const label = CATALOGUE[s.service]?.label ?? s.service;
  return `${label}: ${OP_WORDS[s.op] ?? s.op.toLowerCase()} ${s.resource.replace(/\./g, " ")}`;
}
