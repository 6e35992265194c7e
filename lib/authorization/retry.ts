import "server-only";
import type { SessionUser } from "@/lib/auth/session";
import { clientFacts } from "@/lib/clients";
import { UserError } from "@/lib/errors";
import { attemptForUser } from "./attempts";
import { startAuthorization, startReconnect } from "./start";

/**
 * Starts a fresh authorization with what one of the user's own earlier attempts asked for: the
 * same client, scopes, access type and name, or the same connection to reconnect. A new state
 * and attempt every time; the old attempt stays as it ended.
 */
export async function retryAttempt(user: SessionUser, attemptId: number, ip: string | null): Promise<{ url: string; attemptId: number }> {
  const found = await attemptForUser(attemptId, user.id);
  if (!found) throw new UserError("This authorization is not one of yours, or it is too old to retry. Start a new connection instead.");
  if (found.outcome?.status === "connected") throw new UserError("This authorization already made its connection.");
  const { attempt } = found;
  // Only the client's type is needed here: its secret is not decrypted for a retry.
  const client = await clientFacts(attempt.clientRef);
  if (!client) throw new UserError("The client of this authorization no longer exists.");
  if (client.clientType !== "server") {
    throw new UserError("A self-client code cannot be retried: generate a new code in Zoho's API console and exchange it.");
  }
  try {
    if (attempt.reconnectId) return await startReconnect(user, attempt.reconnectId, attempt.scopes, ip);
    return await startAuthorization(
      user,
      { clientRef: attempt.clientRef, scopes: attempt.scopes, accessType: attempt.accessType, name: attempt.connectionName },
      ip,
    );
  } catch (e) {
    // "Try again" has no box to tick: say where the consent that costs a connection is confirmed.
    if (e instanceof UserError && e.field === "acceptEviction") {
      const where = attempt.reconnectId ? "the connection's Reconnect page" : "New connection";
      throw new UserError(`${e.message} Start it again from ${where}, where you can confirm it.`);
    }
    throw e;
  }
}
