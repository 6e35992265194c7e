/**
 * One zod schema per form of the connect flow, shared by the forms and the server actions. The
 * scope rules the picker checks in the browser (validateScopeSelection) are checked here too, so
 * an action needs no check of its own: malformed scopes fail scopeList, an empty choice the
 * schema's refine.
 */
import { z } from "zod";
import { ACCESS_TYPES } from "@/db/enums";
import { DC_LOCATIONS, parseScopeString, PROFILE_SCOPE } from "@/lib/zoho";
import { invalidScopesMessage } from "@/lib/scopes/scope-selection";
import { GRANT_CODE_PATTERN } from "@/lib/zoho/authorize-url";

const id = (what: string) => z.coerce.number({ message: `Choose ${what}` }).int().positive(`Choose ${what}`);

export const scopeList = z
  .string({ message: "Choose at least one scope" })
  .transform((v, ctx) => {
    const parsed = parseScopeString(v);
    if (parsed.invalid.length) {
      ctx.addIssue({ code: "custom", message: invalidScopesMessage(parsed.invalid) });
      return z.NEVER;
    }
    return parsed.scopes;
  });

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.literal("")])
  .optional()
  .transform((v) => v === "on" || v === "true");

export const connectionName = z
  .string({ message: "Give the connection a name" })
  .trim()
  .min(1, "Give the connection a name")
  .max(80, "Use at most 80 characters");

/** Adds or drops the profile scope as the checkbox says; at least one other scope must remain. */
export function withProfile(scopes: string[], include: boolean): string[] {
  const rest = scopes.filter((s) => s.toLowerCase() !== PROFILE_SCOPE.toLowerCase());
  return include ? [...rest, PROFILE_SCOPE] : rest;
}

export const startSchema = z
  .object({
    clientRef: id("a client"),
    scopes: scopeList,
    includeProfile: checkbox,
    accessType: z.enum(ACCESS_TYPES, { message: "Choose offline or online" }).default("offline"),
    name: connectionName,
    acceptEviction: checkbox,
  })
  .transform((v) => ({ ...v, scopes: withProfile(v.scopes, v.includeProfile) }))
  .refine((v) => v.scopes.some((s) => s.toLowerCase() !== PROFILE_SCOPE.toLowerCase()), {
    message: "Choose at least one Desk, Assist or SalesIQ scope",
    path: ["scopes"],
  });

export const reconnectSchema = z
  .object({
    connectionId: id("a connection"),
    scopes: scopeList,
    includeProfile: checkbox,
    acceptEviction: checkbox,
  })
  .transform((v) => ({ ...v, scopes: withProfile(v.scopes, v.includeProfile) }))
  .refine((v) => v.scopes.some((s) => s.toLowerCase() !== PROFILE_SCOPE.toLowerCase()), {
    message: "Choose at least one Desk, Assist or SalesIQ scope",
    path: ["scopes"],
  });

/** Zoho's grant codes: `1000.<hex>.<hex>`; whitespace from copy and paste is forgiven. */

export const selfClientSchema = z.object({
  clientRef: id("a self client"),
  location: z.enum(DC_LOCATIONS, { message: "Choose the data centre" }),
  scopes: scopeList.refine((s) => s.length > 0, "Choose the scopes the code was generated with"),
  code: z
    .string({ message: "Paste the code from Zoho's API console" })
    .transform((v) => v.replace(/\s+/g, ""))
    .refine((v) => GRANT_CODE_PATTERN.test(v), "This does not look like a Zoho grant code (1000.… with two hex parts)"),
  name: connectionName,
});
export type SelfClientInput = z.infer<typeof selfClientSchema>;

export const bindingSchema = z.object({
  connectionId: id("a connection"),
  attempt: z.coerce.number().int().positive().optional().catch(undefined),
  desk: z.string().trim().min(1).max(64).optional(),
  salesiq: z.string().trim().min(1).max(100).optional(),
  assistDepartment: z.string().trim().min(1).max(64).optional(),
});
