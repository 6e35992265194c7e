import { z } from "zod";
import { CLIENT_TYPES, REALMS } from "@/db/enums";
import { clientIdSchema, DC_LOCATIONS, validateClientSecret } from "@/lib/zoho";

// One schema for the client form, shared by the browser (hints) and the server action (the check).
const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));

const secret = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v || v.trim() === "") return undefined;
    const r = validateClientSecret(v);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: r.message });
      return z.NEVER;
    }
    return r.value;
  });

export const clientFormSchema = z.object({
  name: z
    .string({ message: "Enter a name" })
    .trim()
    .min(1, "Enter a name, e.g. “EU support — Desk”")
    .max(80, "Names are at most 80 characters"),
  realm: z.enum(REALMS, { message: "Choose where this client is registered" }),
  clientType: z.enum(CLIENT_TYPES, { message: "Choose the client type" }),
  clientId: clientIdSchema,
  clientSecret: secret,
  homeDc: z.enum(DC_LOCATIONS, { message: "Choose the data centre the client was created in" }),
  multiDc: checkbox,
  enabledDcs: list(z.enum(DC_LOCATIONS, { message: "Unknown data centre" })),
  description: z.string().trim().max(500, "Descriptions are at most 500 characters").default(""),
});
