import "server-only";
import type { OrgBinding } from "@/db/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { config } from "@/lib/config";
import { realmDataCentre } from "@/lib/realm";
import { isDcLocation, servicesOf, verifyService, type ServiceId } from "@/lib/zoho";
import { loadConnection } from "@/lib/connections/queries";
import { getValidToken } from "./engine";
import { TokenError } from "./errors";
import { clientCredentialsOf } from "./keys";
import { tokenRejected, type RejectionOutcome, type RejectionSource } from "./rejection";

const NOT_THE_TOKEN =
  "The token is not the problem, so refreshing again would only spend Zoho's refresh budget: check that the connection's scopes cover this service and that its organisation binding is right, or reconnect.";

/** One row of the Verify panel; no token inside. */
export interface VerifyRow {
  service: ServiceId;
  ok: boolean;
  latencyMs: number;
  summary: string;
  advice?: string;
}

function boundOrg(binding: OrgBinding, service: ServiceId): string | undefined {
  if (service === "desk") return binding.desk?.orgId;
  if (service === "assist") return binding.assist?.orgId;
  if (service === "salesiq") return binding.salesiq?.screenName;
  return undefined;
}

/**
 * A real call per bound service (Desk organisations, Assist user, SalesIQ portals, profile). A
 * token Zoho names invalid is retired and refreshed at once, and the refused calls are made
 * again with the new token; a refresh Zoho refuses too leaves the connection needing
 * re-authorization.
 */
export async function verifyConnection(id: number, actor: Actor, source: Extract<RejectionSource, "verify" | "healthcheck"> = "verify"): Promise<VerifyRow[]> {
  const row = await loadConnection(id);
  if (!row) throw new TokenError("not_found", "This connection does not exist.");
  // A client secret whose key is gone is a plain key_missing error, not a server error.
  const client = await clientCredentialsOf(row.clientRef);
  if (!isDcLocation(row.location)) throw new TokenError("not_found", `This connection names an unknown data centre (${row.location}); reconnect it so Zoho reports its data centre again.`);
  // A person pressed Verify: a refresh it needs is theirs, as on the binding page.
  const { accessToken } = await getValidToken(id, { actor, trigger: source === "verify" ? "manual" : "background" });
  const dc = realmDataCentre(client.realm, row.location);
  const granted = row.scopesGranted.length ? row.scopesGranted : row.scopesRequested;
  const services = servicesOf(granted);
  if (services.length === 0) throw new TokenError("not_found", "No scope of this connection belongs to a service the console can verify.");
  const check = (token: string) => (service: ServiceId) =>
    verifyService({
      dc,
      accountsServer: row.accountsServer,
      accessToken: token,
      service,
      expectedOrgId: boundOrg(row.orgBinding, service),
      timeoutMs: config().ZOHO_HTTP_TIMEOUT_MS,
    });
  let results = await Promise.all(services.map(check(accessToken)));
  // Zoho named the token invalid: it is retired and replaced now, not at the next scheduled refresh.
  const refused = results.find((r) => !r.ok && r.error.tokenNamedInvalid);
  let afterRefusal: RejectionOutcome | undefined;
  if (refused && !refused.ok) {
    afterRefusal = await tokenRejected(id, accessToken, { source, actor, zohoCode: refused.error.zohoCode });
    if (afterRefusal.kind === "refreshed" || afterRefusal.kind === "already_replaced") {
      const again = check(afterRefusal.token.accessToken);
      results = await Promise.all(results.map((r) => (!r.ok && r.error.tokenNamedInvalid ? again(r.service) : r)));
    }
  }
  const rows: VerifyRow[] = results.map((r) => {
    if (r.ok) return { service: r.service, ok: true, latencyMs: r.latencyMs, summary: r.summary };
    const failed = afterRefusal?.kind === "refresh_failed" && r.error.tokenNamedInvalid ? afterRefusal.error : undefined;
    if (failed) {
      return { service: r.service, ok: false, latencyMs: r.latencyMs, summary: `Zoho refused the access token, and refreshing it failed: ${failed.message}`, advice: failed.advice };
    }
    // Refused again with a token that just replaced a refused one: another refresh would not help.
    if (r.error.tokenNamedInvalid && afterRefusal && afterRefusal.kind !== "refresh_failed") {
      return { service: r.service, ok: false, latencyMs: r.latencyMs, summary: "Zoho refused a token it had just issued to replace a refused one.", advice: NOT_THE_TOKEN };
    }
    return { service: r.service, ok: false, latencyMs: r.latencyMs, summary: r.error.userMessage, advice: r.error.advice };
  });
  const ok = rows.every((r) => r.ok);
  // The scheduled check speaks only when something is wrong; a person's Verify always leaves a row.
  if (source === "healthcheck" && ok) return rows;
  await recordAudit({
    actor,
    action: source === "healthcheck" ? "connection.health_check" : "connection.verify",
    target: { type: "connection", id },
    outcome: ok ? "success" : "failure",
    detail: { name: row.name, results: rows.map((r) => ({ service: r.service, ok: r.ok, latencyMs: r.latencyMs })) },
  });
  return rows;
}
