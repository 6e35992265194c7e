// Scope catalogue (see the shared Zoho notes, section 5): consent rejects what is not in it, and
// resource servers check what a token was granted.

const OPS = ["ALL", "READ", "CREATE", "UPDATE", "DELETE"];

interface ServiceScopes {
  label: string;
  resources: Record<string, string[]>;
}

const CATALOGUE: Record<string, ServiceScopes> = {
  desk: {
    label: "Zoho Desk",
    resources: Object.fromEntries(
      ["tickets", "contacts", "tasks", "settings", "search", "events", "articles", "basic", "agents", "departments", "calls", "activities"].map(
        (r) => [r, [...OPS, "WRITE"]],
      ),
    ),
  },
  zohoassist: {
    label: "Zoho Assist",
    resources: {
      userapi: OPS,
      users: OPS,
      sessionapi: OPS,
      "unattended.device": OPS,
      "unattended.computer": OPS,
      "unattended.group": OPS,
      reportapi: OPS,
    },
  },
  salesiq: {
    label: "Zoho SalesIQ",
    resources: Object.fromEntries(
      ["portals", "operators", "departments", "conversations", "visitors", "webhooks", "pushnotifications", "chatdetails", "chattranscript", "visitordetails", "chats"].map(
        (r) => [r, OPS],
      ),
    ),
  },
  aaaserver: { label: "Zoho Accounts", resources: { profile: ["READ", "ALL"] } },
};

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

export function isKnownScope(raw: string): boolean {
  const s = parseScope(raw);
  if (!s) return false;
  const ops = CATALOGUE[s.service]?.resources[s.resource];
  return !!ops && ops.includes(s.op);
}

/** Zoho separates scopes with commas; stray spaces are tolerated. Null when any is invalid. */
export function parseScopeList(value: string | null | undefined): string[] | null {
  if (!value || value.length > 4000) return null;
  const list = value
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0 || list.length > 100 || !list.every(isKnownScope)) return null;
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
