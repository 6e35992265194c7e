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

/** A real call per bound service (Desk organisations, Assist user, SalesIQ portals, profile). */
export async function verifyConnection(id: number, actor: Actor): Promise<VerifyRow[]> {
  const row = await loadConnection(id);
  if (!row) throw new TokenError("not_found", "This connection does not exist.");
  // A client secret whose key is gone is a plain key_missing error, not a server error.
  const client = await clientCredentialsOf(row.clientRef);
  if (!isDcLocation(row.location)) throw new TokenError("not_found", `This connection names an unknown data centre (${row.location}); reconnect it so Zoho reports its data centre again.`);
  // A person pressed Verify: a refresh it needs is theirs, as on the binding page.
  const { accessToken } = await getValidToken(id, { actor, trigger: "manual" });
  const dc = realmDataCentre(client.realm, row.location);
  const granted = row.scopesGranted.length ? row.scopesGranted : row.scopesRequested;
  const services = servicesOf(granted);
  if (services.length === 0) throw new TokenError("not_found", "No scope of this connection belongs to a service the console can verify.");
  const results = await Promise.all(
    services.map((service) =>
      verifyService({
        dc,
        accountsServer: row.accountsServer,
        accessToken,
        service,
        expectedOrgId: boundOrg(row.orgBinding, service),
        timeoutMs: config().ZOHO_HTTP_TIMEOUT_MS,
      }),
    ),
  );
  const rows: VerifyRow[] = results.map((r) =>
    r.ok
      ? { service: r.service, ok: true, latencyMs: r.latencyMs, summary: r.summary }
      : { service: r.service, ok: false, latencyMs: r.latencyMs, summary: r.error.userMessage, advice: r.error.advice },
  );
  await recordAudit({
    actor,
    action: "connection.verify",
    target: { type: "connection", id },
    outcome: rows.every((r) => r.ok) ? "success" : "failure",
    detail: { name: row.name, results: rows.map((r) => ({ service: r.service, ok: r.ok, latencyMs: r.latencyMs })) },
  });
  return rows;
}
