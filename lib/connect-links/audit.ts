import "server-only";
import type { Db } from "@/db/client";
import { recordAudit, type Actor, type AuditAction } from "@/lib/audit";

/**
 * Every step of a link is recorded under the link; the token never is (nor its hash). The steps
 * are the catalogue's connect_link.* actions, so a step without a label does not compile.
 */
export type LinkStep = AuditAction extends infer A ? (A extends `connect_link.${infer S}` ? S : never) : never;

/**
 * The link's owner before they consent: nobody the console knows. Their events fold per link,
 * address and minute (see recordAudit), so a scanner opening a link in a loop costs one row.
 */
export const ownerActor: Actor = { type: "anonymous", label: "connect link visitor" };

interface LinkAudit {
  actor: Actor;
  step: LinkStep;
  /** Null when no link was found (an unknown or malformed token). */
  linkId: number | null;
  outcome?: "success" | "failure" | "denied";
  detail?: Record<string, unknown>;
  ip?: string | null;
}

export async function auditLink(input: LinkAudit, db?: Db, now = new Date()): Promise<void> {
  await recordAudit(
    {
      actor: input.actor,
      action: `connect_link.${input.step}` satisfies AuditAction,
      ...(input.linkId !== null ? { target: { type: "connect_link", id: input.linkId } } : {}),
      outcome: input.outcome ?? "success",
      detail: input.detail,
      ip: input.ip ?? null,
      // Anonymous rows fold without their target; the link keeps two links' events apart.
      ...(input.actor.type === "anonymous" ? { foldBy: input.linkId === null ? "no-link" : `link:${input.linkId}` } : {}),
    },
    now,
    db,
  );
}
