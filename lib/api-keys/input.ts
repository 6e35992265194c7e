// One schema per form, shared by the API keys form (browser) and its server actions.
import { z } from "zod";
import { API_KEY_PERMISSIONS, PERMISSION_LABELS, usesConnections, type ApiKeyPermission } from "./permissions";

export { API_KEY_PERMISSIONS, PERMISSION_LABELS, usesConnections, type ApiKeyPermission };

const idList = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.coerce.number().int().positive()).max(5000),
);

const permissions = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.enum(API_KEY_PERMISSIONS)).min(1, "Choose at least one thing the key may do."),
);

/** `expiresAt` arrives as the browser's local date-time turned into an ISO string (or empty). */
const expiry = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: "custom", message: "The expiry is not a date and time." });
      return z.NEVER;
    }
    return new Date(ms);
  });

const rateLimit = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
      ctx.addIssue({ code: "custom", message: "The rate limit is a whole number of calls per minute, 1 to 1,000,000 (or empty for the default)." });
      return z.NEVER;
    }
    return n;
  });

const keyFields = {
  name: z.string().trim().min(1, "Give the key a name, e.g. the service that will use it.").max(100, "Keep the name under 100 characters."),
  scope: z.enum(["all", "chosen"], { message: "Choose which connections the key may use." }),
  connectionIds: idList,
  permissions,
  expiresAt: expiry,
  rateLimitPerMinute: rateLimit,
};

type Scoped = { scope: "all" | "chosen"; connectionIds: number[]; permissions: ApiKeyPermission[] };

const chosenNeedsConnections = (v: Scoped) => v.scope === "all" || v.connectionIds.length > 0 || !usesConnections(v.permissions);

/** A metrics-only key is stored with no connections, whatever the form's connection fields said. */
const withoutUnusedConnections = <T extends Scoped>(v: T): T => (usesConnections(v.permissions) ? v : { ...v, scope: "chosen", connectionIds: [] });
const chosenMessage = { message: "Choose at least one connection, or allow all connections.", path: ["connectionIds"] };

export const createKeySchema = z
  .object(keyFields)
  .refine(chosenNeedsConnections, chosenMessage)
  .refine((v) => !v.expiresAt || v.expiresAt.getTime() > Date.now(), { message: "The expiry must be in the future.", path: ["expiresAt"] })
  .transform(withoutUnusedConnections);

export const updateKeySchema = z
  .object({ id: z.coerce.number().int().positive(), ...keyFields })
  .refine(chosenNeedsConnections, chosenMessage)
  .transform(withoutUnusedConnections);

export const keyIdSchema = z.object({ id: z.coerce.number().int().positive() });

export type CreateKeyInput = z.infer<typeof createKeySchema>;
export type UpdateKeyInput = z.infer<typeof updateKeySchema>;
