import "server-only";
import { actorOf } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/session";
import { getClientCredentials } from "@/lib/clients";
import { UserError } from "@/lib/errors";
import { realmDataCentre } from "@/lib/realm";
import { DC_LABELS } from "@/lib/zoho";
import { recordUsedAttempt } from "./attempts";
import { explainFlowFailure, isFlowFailure } from "./failures";
import { finishGrant } from "./finish";
import type { SelfClientInput } from "./schemas";
import { SELF_CLIENT_CODE_MINUTES } from "@/lib/zoho/limits";

type SelfClientResult =
  | { ok: true; attemptId: number; connectionId: number; needsBinding: boolean }
  | { ok: false; title: string; message: string; advice: string };

/**
 * A code generated in Zoho's API console for a self client, exchanged at once without a
 * redirect URI at the accounts server of the chosen DC (a self client lives in one DC).
 */
export async function exchangeSelfClientCode(user: SessionUser, input: SelfClientInput, ip: string | null): Promise<SelfClientResult> {
  const client = await getClientCredentials(input.clientRef);
  if (!client) throw new UserError("This client no longer exists.", "clientRef");
  if (client.clientType !== "self") {
    throw new UserError("This is a server-based client: use New connection, which goes through Zoho's consent page.", "clientRef");
  }
  if (!client.enabledDcs.includes(input.location)) {
    throw new UserError(
      `This self client lives in DC ${client.homeDc} (${DC_LABELS[client.homeDc]}); Zoho exchanges its codes only there.`,
      "location",
    );
  }
  const attempt = await recordUsedAttempt({
    userId: user.id,
    clientRef: client.id,
    scopes: input.scopes,
    accessType: "offline",
    connectionName: input.name,
  });
  const result = await finishGrant({
    attempt,
    client,
    dc: realmDataCentre(client.realm, input.location),
    code: input.code,
    actor: actorOf(user),
    ip,
    via: "self_client",
  });
  if (result.ok) {
    return { ok: true, attemptId: attempt.id, connectionId: result.outcome.connectionId, needsBinding: result.outcome.needsBinding.length > 0 };
  }
  const { outcome } = result;
  if (outcome.zoho) {
    const advice =
      outcome.zoho.code === "zoho_invalid_code"
        ? `Self-client codes work once and live only the ${SELF_CLIENT_CODE_MINUTES.join(", ")} minutes chosen when generating them. Generate a new code in Zoho's API console (Self Client → Generate Code) and paste it right away.`
        : outcome.zoho.advice;
    return { ok: false, title: outcome.zoho.title, message: outcome.zoho.message, advice };
  }
  const e = isFlowFailure(outcome.code) ? explainFlowFailure(outcome.code) : { title: "The code was not exchanged", message: "", advice: "" };
  return { ok: false, ...e };
}
