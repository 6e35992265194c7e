// One schema per alerts form, shared by the Settings → Alerts forms (browser) and their server actions.
import { z } from "zod";
import { ALERT_DESTINATION_KINDS } from "@/db/enums";
import { EVENT_TYPES } from "./events";

export { ALERT_DESTINATION_KINDS };

const list = (v: unknown) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]);

const optionalId = z.preprocess((v) => (v === undefined || v === "" || v === "any" ? null : v), z.coerce.number().int().positive().nullable());

/** Addresses one per line or separated by commas. */
const emails = z.preprocess(
  (v) =>
    list(v)
      .flatMap((x) => String(x).split(/[\s,;]+/))
      .map((x) => x.trim())
      .filter(Boolean),
  z.array(z.email("Each recipient is an e-mail address, one per line.")).max(20, "At most 20 recipients per destination."),
);

export const destinationFields = z.object({
  name: z.string().trim().min(1, "Give the destination a name.").max(100, "The name is at most 100 characters."),
  kind: z.enum(ALERT_DESTINATION_KINDS, { message: "Choose webhook, Slack or e-mail." }),
  /** Empty on edit keeps the stored URL (never shown again: it may be a credential). */
  url: z.string().trim().max(2048, "The URL is at most 2048 characters.").optional().default(""),
  emails,
  /** Empty: every event type. */
  events: z.preprocess(list, z.array(z.enum(EVENT_TYPES, { message: "Unknown event type." }))),
  clientId: optionalId,
  connectionId: optionalId,
});

function requireTarget(v: z.infer<typeof destinationFields>, ctx: z.RefinementCtx, creating: boolean) {
  if (v.kind === "email" && v.emails.length === 0) ctx.addIssue({ code: "custom", path: ["emails"], message: "Add at least one recipient." });
  if (v.kind !== "email" && creating && !v.url) {
    ctx.addIssue({ code: "custom", path: ["url"], message: v.kind === "slack" ? "Paste the Slack incoming-webhook URL." : "Enter the URL to POST events to." });
  }
}

export const createDestinationSchema = destinationFields.superRefine((v, ctx) => requireTarget(v, ctx, true));
export const updateDestinationSchema = destinationFields
  .extend({ id: z.coerce.number().int().positive() })
  .superRefine((v, ctx) => requireTarget(v, ctx, false));
export const destinationIdSchema = z.object({ id: z.coerce.number().int().positive() });
export const deliveryIdSchema = z.object({ deliveryId: z.coerce.number().int().positive() });

export type DestinationInput = z.infer<typeof createDestinationSchema>;
export type DestinationUpdate = z.infer<typeof updateDestinationSchema>;
