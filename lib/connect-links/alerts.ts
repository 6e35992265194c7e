import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, zohoClients, type ConnectLinkRow, type ConnectLinkState } from "@/db/schema";
import type { EventData } from "@/lib/alerts/events";
import { connectionRefOf, consoleUrl, emitEvent } from "@/lib/alerts/outbox";

/** A link as an alert names it: never its token or the token's hash. */
async function linkRefOf(db: Db, link: ConnectLinkRow): Promise<EventData<"connect_link.completed">["link"]> {
  const [client] = await db.select({ name: zohoClients.name }).from(zohoClients).where(eq(zohoClients.id, link.clientRef));
  const [creator] = link.createdBy === null ? [] : await db.select({ name: users.name }).from(users).where(eq(users.id, link.createdBy));
  return {
    id: link.id,
    kind: link.kind,
    connection_name: link.connectionName,
    client: { id: link.clientRef, name: client?.name ?? `client ${link.clientRef}` },
    scopes: link.scopes,
    created_by: creator?.name ?? null,
    created_at: link.createdAt.toISOString(),
    expires_at: link.expiresAt.toISOString(),
    url: consoleUrl("/connect-links"),
  };
}

/** In the transaction that completes the link: `connect_link.completed`. */
export async function noteLinkCompleted(db: Db, link: ConnectLinkRow, connectionId: number): Promise<void> {
  const connection = await connectionRefOf(db, connectionId);
  if (!connection) return;
  await emitEvent(
    db,
    "connect_link.completed",
    { link: await linkRefOf(db, link), zoho_user: { zuid: link.completedZuid, email: link.completedEmail }, connection },
    { connectionId, clientId: link.clientRef },
  );
}

const HOW_FAR: Record<"waiting" | "opened" | "consent_started", string> = {
  waiting: "Nobody opened it.",
  opened: "It was opened but Continue to Zoho was never pressed.",
  consent_started: "Its owner went to Zoho's consent page but did not come back.",
};

/** In the transaction that expires an unused link: `connect_link.expired`. */
export async function noteLinkExpired(db: Db, link: ConnectLinkRow, lastState: ConnectLinkState): Promise<void> {
  if (lastState !== "waiting" && lastState !== "opened" && lastState !== "consent_started") return;
  await emitEvent(
    db,
    "connect_link.expired",
    {
      link: await linkRefOf(db, link),
      last_state: lastState,
      reason: {
        code: "link_expired",
        message: `The connect link for "${link.connectionName}" expired before anyone completed it. ${HOW_FAR[lastState]}`,
        action: "If the connection is still wanted, open Connect links and press Issue again, then send the new link.",
      },
    },
    { clientId: link.clientRef, ...(link.connectionRef ? { connectionId: link.connectionRef } : {}) },
  );
}
