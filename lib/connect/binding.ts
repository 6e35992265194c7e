import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections, type ConnectionRow, type OrgBinding } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/session";
import { getClient } from "@/lib/clients";
import { UserError } from "@/lib/errors";
import { realmDataCentre } from "@/lib/realm";
import { DecryptionError } from "@/lib/crypto";
import { decryptSecret, secretPlace } from "@/lib/secrets";
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

type DiscoveryLoad =
  | { ok: true; conn: ConnectionRow; discovery: DiscoveryResults; options: BindingOptionsDto; needsChoice: OrgServiceId[] }
  | { ok: false; conn?: ConnectionRow; reason: "missing" | "revoked" | "no_token" | "unreadable" | "expired" | "no_services" };

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

export function getConnectionRow(id: number): ConnectionRow | undefined {
  return getDb().select().from(connections).where(eq(connections.id, id)).get();
}

/** A fresh discovery with the connection's own access token. */
export async function discoverForConnection(connectionId: number, now = Date.now()): Promise<DiscoveryLoad> {
  const conn = getConnectionRow(connectionId);
  if (!conn) return { ok: false, reason: "missing" };
  if (conn.revokedAt) return { ok: false, conn, reason: "revoked" };
  const services = servicesOf(conn.scopesGranted).filter((s) => s !== "profile");
  if (services.length === 0) return { ok: false, conn, reason: "no_services" };
  if (!conn.accessTokenEnc) return { ok: false, conn, reason: "no_token" };
  if (!conn.accessTokenExpiresAt || conn.accessTokenExpiresAt.getTime() <= now + 5_000) return { ok: false, conn, reason: "expired" };
  const client = getClient(conn.clientRef);
  if (!client || !isDcLocation(conn.location)) return { ok: false, conn, reason: "missing" };
  const dc = realmDataCentre(client.realm, conn.location);
  let accessToken: string;
  try {
    accessToken = decryptSecret(conn.accessTokenEnc, secretPlace.accessToken(conn.id));
  } catch (e) {
    if (e instanceof DecryptionError) return { ok: false, conn, reason: "unreadable" };
    throw e;
  }
  const discovery = await discoverFor(dc, accessToken, conn.scopesGranted);
  const plan = planBinding(discovery, conn.orgBinding as OrgBinding, services);
  return { ok: true, conn, discovery, options: toDto(discovery), needsChoice: plan.needsChoice };
}

const CHOOSE: Record<OrgServiceId, string> = {
  desk: "Choose a Desk organisation.",
  salesiq: "Choose a SalesIQ portal.",
  assist: "Choose an Assist department.",
};

/** Saves the admin's choice, checked against a discovery made now, not against the form. */
export async function saveBinding(user: SessionUser, connectionId: number, choice: BindingChoice, ip: string | null): Promise<OrgBinding> {
  const load = await discoverForConnection(connectionId);
  if (!load.ok) throw new UserError(bindingUnavailableMessage(load.reason));
  const result = applyBindingChoice(load.discovery, load.conn.orgBinding as OrgBinding, choice);
  if (!result.ok) throw new UserError(result.error, result.field);
  const still = planBinding(load.discovery, result.binding, servicesOf(load.conn.scopesGranted)).needsChoice;
  if (still.length > 0) throw new UserError(CHOOSE[still[0]], still[0] === "assist" ? "assistDepartment" : still[0]);
  const before = load.conn.orgBinding as OrgBinding;
  getDb().update(connections).set({ orgBinding: result.binding, updatedAt: new Date() }).where(eq(connections.id, connectionId)).run();
  recordAudit({
    actor: { type: "user", id: user.id, label: user.email },
    action: "connection.bind",
    target: { type: "connection", id: connectionId },
    detail: { before, after: result.binding },
    ip,
  });
  return result.binding;
}

export function bindingUnavailableMessage(reason: Exclude<DiscoveryLoad, { ok: true }>["reason"]): string {
  switch (reason) {
    case "missing":
      return "This connection no longer exists.";
    case "revoked":
      return "This connection was revoked; there is nothing to bind.";
    case "no_token":
      return "This connection holds no access token. Reconnect it first.";
    case "unreadable":
      return "The stored access token cannot be read (its key is not configured, or the value does not belong to this connection). Refresh the connection first; if that fails too, reconnect it.";
    case "expired":
      return "The connection's access token has expired. Refresh the connection first, then change the binding.";
    case "no_services":
      return "None of this connection's scopes belongs to Desk, Assist or SalesIQ, so there is no organisation to bind.";
  }
}
