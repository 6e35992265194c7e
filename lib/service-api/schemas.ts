// The zod schemas of /api/v1: routes validate their input with them, and the OpenAPI document
// is generated from the very same objects, so the two cannot drift apart.
import { z } from "zod";
import "zod-openapi";
import { STATUS_KINDS } from "@/lib/connection-status";
import { tagSchema } from "@/lib/connections/tag-schemas";
import { DC_LOCATIONS, PROXY_SERVICES, SERVICE_IDS } from "@/lib/zoho";
import { API_ERROR_STATUS } from "./error-codes";

const MAX_MIN_VALIDITY_SEC = 3000;
const DEFAULT_MIN_VALIDITY_SEC = 300;
const MAX_LIST_LIMIT = 500;

export const connectionIdParam = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, "The connection id is a positive whole number.")
  .meta({ description: "The connection's id: shown with a copy button on its page and in the console's connections list (and in its URL, /connections/{id}).", example: "12" });

export const connectionPathParams = z.object({ id: connectionIdParam });

export const listQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIST_LIMIT)
    .default(100)
    .meta({ description: `Connections per page (1–${MAX_LIST_LIMIT}).`, example: 100 }),
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: "Cursor: the `next_after` of the previous page; connections with a larger id follow." }),
  tag: tagSchema.optional().meta({
    description: "Only connections carrying this tag (a lowercase word or `key:value`, as set in the console), e.g. `env:prod`.",
    example: "customer:acme",
  }),
});

export const tokenQuery = z.object({
  min_validity: z.coerce
    .number()
    .int("min_validity is a whole number of seconds.")
    .min(0, "min_validity cannot be negative.")
    .max(MAX_MIN_VALIDITY_SEC, `min_validity is at most ${MAX_MIN_VALIDITY_SEC} seconds (an access token lives one hour).`)
    .default(DEFAULT_MIN_VALIDITY_SEC)
    .meta({
      description:
        "Seconds the token must still be valid. With less left, the console refreshes it first (one refresh, however many callers ask at once).",
      example: 300,
    }),
});

export const proxyPathParams = z.object({
  id: connectionIdParam,
  service: z.enum(PROXY_SERVICES).meta({
    description: "Which Zoho API: `desk`, `assist`, `salesiq` (product hosts of the connection's data centre) or `zohoapis` (its api_domain).",
  }),
  path: z.string().meta({ description: "The Zoho API path, e.g. `api/v1/tickets`; query string and body pass through.", example: "api/v1/tickets" }),
});

const isoTime = (description: string) => z.string().meta({ description, format: "date-time", example: "2026-12-03T10:15:00.000Z" });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(API_ERROR_STATUS) as [keyof typeof API_ERROR_STATUS, ...(keyof typeof API_ERROR_STATUS)[]]),
      message: z.string().meta({ description: "What went wrong and what to do, in plain words." }),
    }),
  })
  .meta({ id: "Error", description: "Every error of /api/v1 has this shape; `code` is stable, `message` is for people." });

const statusSchema = z
  .object({
    kind: z.enum(STATUS_KINDS),
    label: z.string(),
    reason: z.string(),
  })
  .meta({ id: "ConnectionStatus" });

const connectionSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    status: statusSchema,
    client: z.object({ id: z.number().int(), name: z.string(), realm: z.enum(["live", "sandbox"]) }),
    access_type: z.enum(["offline", "online"]),
    zoho_user: z.object({ zuid: z.string().nullable(), email: z.string().nullable() }),
    location: z.enum(DC_LOCATIONS).meta({ description: "Zoho data centre of the connection's user." }),
    api_domain: z.string().meta({ description: "Where the connection's API calls go (Zoho's `api_domain`)." }),
    scopes: z.array(z.string()).meta({ description: "Scopes Zoho granted." }),
    services: z.array(z.enum(SERVICE_IDS)),
    access_token_expires_at: isoTime("When the current access token expires.").nullable(),
    last_refresh_at: isoTime("The last successful refresh.").nullable(),
    created_at: isoTime("When the connection was authorized."),
    revoked_at: isoTime("When it was revoked in the console.").nullable(),
    tags: z.array(z.string()).meta({ description: "The connection's tags, sorted (e.g. `customer:acme`, `env:prod`).", example: ["customer:acme", "env:prod"] }),
  })
  .meta({ id: "Connection", description: "A connection's metadata and status; never a token." });

const bindingSchema = z
  .object({
    desk: z.object({ org_id: z.string(), name: z.string(), portal_name: z.string().nullable() }).nullable(),
    salesiq: z.object({ screen_name: z.string(), name: z.string() }).nullable(),
    assist: z
      .object({
        org_id: z.string(),
        name: z.string(),
        environment: z.string().nullable(),
        department_id: z.string().nullable(),
        department_name: z.string().nullable(),
      })
      .nullable(),
  })
  .meta({ id: "OrganisationBinding", description: "The organisation each service is bound to (null: not bound)." });

export const connectionDetailSchema = connectionSchema
  .extend({ binding: bindingSchema, scopes_requested: z.array(z.string()) })
  .meta({ id: "ConnectionDetail" });

export const connectionListSchema = z
  .object({
    data: z.array(connectionSchema),
    next_after: z.number().int().nullable().meta({ description: "Pass as `after` for the next page; null on the last page." }),
  })
  .meta({ id: "ConnectionList" });

const headersSchema = z.record(z.string(), z.string());

export const tokenSchema = z
  .object({
    connection_id: z.number().int(),
    access_token: z.string().meta({ description: "Send as `Authorization: Zoho-oauthtoken <access_token>`." }),
    authorization: z.string().meta({ description: "The whole Authorization header value.", example: "Zoho-oauthtoken 1000.3f…" }),
    token_type: z.literal("Zoho-oauthtoken"),
    api_domain: z.string(),
    location: z.enum(DC_LOCATIONS),
    expires_at: isoTime("When the token expires."),
    expires_in: z.number().int().meta({ description: "Seconds left when this answer was made." }),
    refreshed: z.boolean().meta({ description: "True when the console refreshed the token for this call." }),
    services: z
      .object({
        desk: z.object({ base_url: z.string(), org_id: z.string(), organisation: z.string(), headers: headersSchema }).optional(),
        salesiq: z.object({ base_url: z.string(), screen_name: z.string(), portal: z.string() }).optional(),
        assist: z
          .object({
            base_url: z.string(),
            org_id: z.string(),
            organisation: z.string(),
            environment: z.string().nullable(),
            department_id: z.string().nullable(),
            headers: headersSchema,
          })
          .optional(),
      })
      .meta({ description: "Per bound service: the base URL and the headers a call needs besides the token." }),
  })
  .meta({ id: "AccessToken" });

export const tokenRejectedBody = z
  .object({
    access_token: z
      .string({ message: "access_token is the token Zoho refused." })
      .trim()
      .min(8, "access_token is the token Zoho refused.")
      .max(4096, "access_token is too long to be a Zoho access token."),
    zoho_status: z.number().int().min(100).max(599).optional().meta({ description: "The HTTP status of Zoho's answer." }),
    zoho_answer: z.unknown().meta({
      description:
        'Zoho\'s answer body as JSON, e.g. `{"errorCode":"INVALID_OAUTH"}` (Desk), `{"error":{"code":1008}}` (SalesIQ, Assist) or `{"code":"INVALID_TOKEN"}` (www.zohoapis.*). Only an answer naming the token invalid counts.',
    }),
  })
  .meta({ id: "TokenRejectedReport" });

export const tokenRejectedSchema = z
  .object({
    outcome: z.enum(["refreshed", "already_replaced"]).meta({
      description: "`refreshed`: the refused token was retired and a new one minted; `already_replaced`: it had been replaced already.",
    }),
    token: tokenSchema,
  })
  .meta({ id: "TokenRejectedAnswer" });

export type ApiConnection = z.infer<typeof connectionSchema>;
export type ApiConnectionDetail = z.infer<typeof connectionDetailSchema>;
export type ApiToken = z.infer<typeof tokenSchema>;
export type ApiTokenRejected = z.infer<typeof tokenRejectedSchema>;
