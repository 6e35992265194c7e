/**
 * What to tell the caller of the console's proxy when Zoho answers a product call with an error
 * the console recognises: the scope to add (named from the catalogue by the call's method and
 * path), the binding to change, or the reconnect a dead token needs. Pure: fixed text and scope
 * names only, never anything from the request or the answer's body.
 */
import type { ProxyService } from "./proxy";
import { productAnswerKind } from "./resource-response";
import { SCOPE_CATALOGUE, type ScopeEntry } from "./scope-catalogue";
import { ZohoError } from "./zoho-error";

const RANK: Record<ScopeEntry["operation"], number> = { READ: 0, CREATE: 0, UPDATE: 0, DELETE: 0, WRITE: 1, ALL: 2 };

function templateMatches(template: string, path: string): boolean {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${pattern}/?$`).test(path);
}

/** Catalogue scopes that allow `method path` on a service, narrowest first; [] when unknown. */
export function scopesForCall(service: ProxyService, method: string, path: string): string[] {
  if (service === "zohoapis") return [];
  const clean = `/${path.replace(/^\/+/, "").split("?")[0]}`;
  const found = SCOPE_CATALOGUE.filter(
    (e) => e.service === service && e.apis.some((a) => a.method === method.toUpperCase() && templateMatches(a.path, clean)),
  );
  return [...found].sort((a, b) => RANK[a.operation] - RANK[b.operation]).map((e) => e.scope);
}

/**
 * Advice for an answer from Zoho through the proxy, or undefined when the answer is not one of
 * the recognised errors. `refreshed` says the console already replaced the token once.
 */
export function proxyErrorAdvice(opts: {
  service: ProxyService;
  method: string;
  path: string;
  status: number;
  json: unknown;
  refreshed: boolean;
}): string | undefined {
  const kind = productAnswerKind(opts.status, opts.json);
  if (!kind) return undefined;
  if (kind === "invalid_token") {
    return opts.refreshed
      ? "Zoho rejected the access token even after the console refreshed it. Reconnect the connection."
      : new ZohoError("invalid_token", { operation: "proxy" }).advice;
  }
  if (kind === "wrong_org") return new ZohoError("wrong_org", { operation: "proxy" }).advice;
  const scopes = scopesForCall(opts.service, opts.method, opts.path);
  if (scopes.length === 0) return new ZohoError("insufficient_scope", { operation: "proxy" }).advice;
  const others = scopes.slice(1);
  return (
    new ZohoError("insufficient_scope", { operation: "proxy", neededScope: scopes[0], purpose: "make this call" }).advice +
    (others.length ? ` (${others.join(" or ")} also ${others.length === 1 ? "allows" : "allow"} it.)` : "")
  );
}
