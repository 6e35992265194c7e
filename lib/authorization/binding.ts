import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections, type ConnectionRow, type OrgBinding } from "@/db/schema";
import { actorOf, recordAudit, type Actor } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/session";
import { clientFacts } from "@/lib/clients";
import { loadConnection } from "@/lib/connections/queries";
import { UserError } from "@/lib/errors";
import { realmDataCentre } from "@/lib/realm";
import { getValidToken } from "@/lib/tokens/engine";
import { TokenError } from "@/lib/tokens/errors";
import { isDcLocation, servicesOf, type AssistEnvironment, type DiscoveryResults, type OrgServiceId } from "@/lib/zoho";
import { applyBindingChoice, planBinding, type BindingChoice } from "./binding-plan";
import { discoverFor } from "./redeem";

/** What the binding page shows: plain data, no token. */
export interface BindingOptionsDto {
  desk?: { ok: true; options: { id: string; name: string; detail?: string; isDefault: boolean }[] } | { ok: false; message: string; advice: string };
  salesiq?: { ok: true; options: { id: string; name: string }[] } | { ok: false; message: string; advice: string };
  assist?:
    | { ok: true; org: { id: string; name: string; environment?: AssistEnvironment } | null; departments: { id: string; name: string }[] }
    | { ok: false; message: string; advice: string };
}

/** The connection as the binding page names it: no token, no ciphertext. */
interface BindingConnection {
  id: number;
  name: string;
  binding: OrgBinding;
}

type Unavailable = "missing" | "revoked" | "unknown_dc" | "no_services" | "token";

type DiscoveryLoad =
  | {
      ok: true;
      connection: BindingConnection;
      discovery: DiscoveryResults;
      options: BindingOptionsDto;
      /** The services the connection's granted scopes reach, which a binding must cover. */
      services: ReturnType<typeof servicesOf>;
      needsChoice: OrgServiceId[];
    }
  | { ok: false; connection?: BindingConnection; reason: Unavailable; message: string };

function toDto(discovery: DiscoveryResults): BindingOptionsDto {
  const dto: BindingOptionsDto = {};
  const fail = (o: { error: { userMessage: string; advice: string } }) => ({ ok: false as const, message: o.error.userMessage, advice: o.error.advice });
  if (discovery.desk) {
    dto.desk = discovery.desk.ok
      ? {
          ok: true,
          options: discovery.desk.options.map((o) => ({
            id: o.id,
            name: o.name,
            isDefault: o.isDefault,
            ...(o.portalName ? { detail: `portal ${o.portalName}` } : {}),
          })),
        }
      : fail(discovery.desk);
  }
  if (discovery.salesiq) {
    dto.salesiq = discovery.salesiq.ok
      ? { ok: true, options: discovery.salesiq.options.map((o) => ({ id: o.id, name: o.name })) }
      : fail(discovery.salesiq);
  }
  if (discovery.assist) {
    const org = discovery.assist.ok ? discovery.assist.options[0] : undefined;
    dto.assist = discovery.assist.ok
      ? {
          ok: true,
          org: org ? { id: org.id, name: org.name, ...(org.environment ? { environment: org.environment } : {}) } : null,
          departments: org?.departments ?? [],
        }
      : fail(discovery.assist);
  }
  return dto;
}

/**
 * A fresh discovery with the connection's own access token, taken through the token engine as
 * Verify takes it: an expired or unreadable stored token is refreshed first (one refresh shared
 * with every other caller), and what the engine refuses is said as the engine says it.
 */
export async function discoverForConnection(connectionId: number, actor: Actor): Promise<DiscoveryLoad> {
  const conn = await loadConnection(connectionId);
  const unavailable = (reason: Unavailable, message = reason === "token" ? "" : UNAVAILABLE[reason]): DiscoveryLoad => ({
    ok: false,
    ...(conn ? { connection: bindingConnection(conn) } : {}),
    reason,
    message,
  });
  if (!conn) return unavailable("missing");
  if (conn.revokedAt) return unavailable("revoked");
  const services = servicesOf(conn.scopesGranted).filter((s) => s !== "profile");
  if (services.length === 0) return unavailable("no_services");
  const realm = (await clientFacts(conn.clientRef))?.realm;
  if (!realm) return unavailable("missing");
  if (!isDcLocation(conn.location)) return unavailable("unknown_dc");
  let accessToken: string;
  try {
    // A person on the page: a refresh may be tried before a failed one's scheduled retry, as
    // Refresh now does.
    ({ accessToken } = await getValidToken(connectionId, { actor, trigger: "manual", ignoreBackoff: true, minValidityMs: DISCOVERY_MIN_VALIDITY_MS }));
  } catch (e) {
    if (!(e instanceof TokenError)) throw e;
    return unavailable("token", [e.message, e.advice].filter(Boolean).join(" "));
  }
  const discovery = await discoverFor(realmDataCentre(realm, conn.location), accessToken, conn.scopesGranted);
  const plan = planBinding(discovery, conn.orgBinding as OrgBinding, services);
  return { ok: true, connection: bindingConnection(conn), discovery, options: toDto(discovery), services, needsChoice: plan.needsChoice };
}

/** Long enough for the organisation calls the discovery makes. */
const DISCOVERY_MIN_VALIDITY_MS = 30_000;

const bindingConnection = (conn: ConnectionRow): BindingConnection => ({ id: conn.id, name: conn.name, binding: conn.orgBinding as OrgBinding });

const CHOOSE: Record<OrgServiceId, string> = {
  desk: "Choose a Desk organisation.",
  salesiq: "Choose a SalesIQ portal.",
  assist: "Choose an Assist department.",
};

/** Saves the admin's choice, checked against a discovery made now, not against the form. */
export const saveBinding = (user: SessionUser, connectionId: number, choice: BindingChoice, ip: string | null) =>
  saveBindingAs(actorOf(user), connectionId, choice, ip);

/**
 * Saves a choice made by `actor` (a console user, or a connect link's owner on their own
 * connection's page), checked against a discovery made now with the connection's token.
 */
export async function saveBindingAs(actor: Actor, connectionId: number, choice: BindingChoice, ip: string | null): Promise<OrgBinding> {
  const load = await discoverForConnection(connectionId, actor);
  if (!load.ok) throw new UserError(load.message);
  const before = load.connection.binding;
  const result = applyBindingChoice(load.discovery, before, choice);
  if (!result.ok) throw new UserError(result.error, result.field);
  const still = planBinding(load.discovery, result.binding, load.services).needsChoice;
  if (still.length > 0) throw new UserError(CHOOSE[still[0]], still[0] === "assist" ? "assistDepartment" : still[0]);
  await getDb().update(connections).set({ orgBinding: result.binding, updatedAt: new Date() }).where(eq(connections.id, connectionId));
  await recordAudit({
    actor,
    action: "connection.bind",
    target: { type: "connection", id: connectionId },
    detail: { before, after: result.binding },
    ip,
  });
  return result.binding;
}

/** What each refusal of the binding page says (a token the engine refused says it in the engine's words). */
const UNAVAILABLE: Record<Exclude<Unavailable, "token">, string> = {
  missing: "This connection no longer exists.",
  revoked: "This connection was revoked; there is nothing to bind.",
  unknown_dc: "This connection names a data centre this console does not know. Reconnect it, so Zoho reports its data centre again.",
  no_services: "None of this connection's scopes belongs to Desk, Assist or SalesIQ, so there is no organisation to bind.",
};
