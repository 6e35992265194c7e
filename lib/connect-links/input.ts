/**
 * One zod schema per connect-link form, shared by the forms and the server actions. What depends
 * on the chosen client (a server client, a start data centre it is enabled in) is checked on the
 * server, where the client is read.
 */
import { z } from "zod";
import { ACCESS_TYPES } from "@/db/enums";
import { connectionName, scopeList, withProfile } from "@/lib/authorization/schemas";
import { DC_LOCATIONS, PROFILE_SCOPE } from "@/lib/zoho";

const MINUTE = 60_000;
/** Nango's connect sessions last 30 minutes, Merge's magic links up to 7 days; ours in between. */
export const LINK_LIFETIME_MINUTES = { min: 30, max: 7 * 24 * 60, default: 72 * 60 } as const;

export const lifetimeToMs = (minutes: number) => minutes * MINUTE;

const lifetime = z.preprocess(
  (v) => (v === undefined || v === null || v === "" ? LINK_LIFETIME_MINUTES.default : v),
  z.coerce
    .number({ message: "Choose how long the link stays valid" })
    .int("Give the lifetime in whole minutes")
    .min(LINK_LIFETIME_MINUTES.min, "A link must stay valid for at least 30 minutes")
    .max(LINK_LIFETIME_MINUTES.max, "A link can stay valid for at most 7 days"),
);

/** Compared without case, as Zoho compares sign-in addresses; empty means "anyone may consent". */
const expectedEmail = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z
    .string()
    .trim()
    .toLowerCase()
    .max(254, "Use at most 254 characters")
    .pipe(z.email("Enter the Zoho user's e-mail address, like owner@example.com, or leave it empty"))
    .optional(),
);

const id = (what: string) => z.coerce.number({ message: `Choose ${what}` }).int().positive(`Choose ${what}`);

/**
 * The profile scope is always asked for: nobody from the console watches the consent, so the
 * console must learn which Zoho user completed the link (the list names them, an expected e-mail
 * and a reconnect's same-user rule are checked against them).
 */
export const createLinkSchema = z
  .object({
    clientRef: id("a client"),
    scopes: scopeList,
    accessType: z.enum(ACCESS_TYPES, { message: "Choose offline or online" }).default("offline"),
    name: connectionName,
    expectedEmail,
    // The form's "let the console decide" sends an empty value.
    startLocation: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.enum(DC_LOCATIONS, { message: "Choose the data centre where consent starts" }).optional(),
    ),
    lifetimeMinutes: lifetime,
  })
  .transform((v) => ({ ...v, scopes: withProfile(v.scopes, true) }))
  .refine((v) => v.scopes.some((s) => s.toLowerCase() !== PROFILE_SCOPE.toLowerCase()), {
    message: "Choose at least one Desk, Assist or SalesIQ scope",
    path: ["scopes"],
  });
export type CreateLinkInput = z.input<typeof createLinkSchema>;
export type CreateLinkValues = z.output<typeof createLinkSchema>;

/** A reconnect link takes everything else from its connection. */
export const reconnectLinkSchema = z.object({
  connectionId: id("a connection"),
  lifetimeMinutes: lifetime,
});
export type ReconnectLinkValues = z.output<typeof reconnectLinkSchema>;

export const linkIdSchema = z.object({ id: id("a link") });
