// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate with.
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathItemObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { EVENT_DESCRIPTIONS, EVENT_TYPES, eventSchema } from "@/lib/alerts/events";
import { z } from "zod";
import {
  connectionDetailSchema,
  connectionListSchema,
  connectionPathParams,
  errorSchema,
  listQuery,
  proxyPathParams,
  tokenQuery,
  tokenRejectedBody,
  tokenRejectedSchema,
  tokenSchema,
} from "./schemas";

const json = (schema: z.ZodType) => ({ "application/json": { schema } });

const retryAfter = {
  "Retry-After": { description: "Seconds to wait before trying again.", schema: { type: "integer" as const } },
};

const ERRORS: Record<string, { description: string; retry?: boolean }> = {
  "400": { description: "`bad_request`: a parameter is not valid; the message says which." },
  "401": { description: "`unauthorized`: the key is missing, unknown, expired or revoked." },
  "403": { description: "`forbidden`: the key may not use this connection or this operation." },
  "404": { description: "`not_found`: no such connection." },
  "409": {
    description:
      "`needs_reauth`: Zoho no longer accepts the connection's refresh token; an operator must reconnect it. `token_refused_again` (token reports): the token minted to replace a refused one was refused too.",
  },
  "410": { description: "`revoked`: the connection was revoked in the console." },
  "422": { description: "`not_a_token_refusal`: the reported Zoho answer does not name the token invalid." },
  "429": { description: "`throttled`: the key's rate limit, or Zoho's refresh limit, says wait.", retry: true },
  "502": { description: "`upstream_unavailable`: Zoho answered something the console cannot use." },
  "503": { description: "`upstream_unavailable`: Zoho is unreachable or slow, or a refresh is still running; `database_unavailable`: the console's own database does not answer (restarting).", retry: true },
};

function errors(...codes: string[]): ZodOpenApiResponsesObject {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      { description: ERRORS[code].description, content: json(errorSchema), ...(ERRORS[code].retry ? { headers: retryAfter } : {}) },
    ]),
  );
}

const curl = (lang: string, source: string) => ({ "x-codeSamples": [{ lang, label: "curl", source }] });

const TOKEN_CURL = `curl -s -H "Authorization: Bearer $CONSOLE_API_KEY" \\
  "$CONSOLE_URL/api/v1/connections/12/token?min_validity=300"`;

const REJECTED_CURL = `curl -s -X POST -H "Authorization: Bearer $CONSOLE_API_KEY" -H "Content-Type: application/json" \\
  -d '{"access_token":"1000.…","zoho_status":401,"zoho_answer":{"errorCode":"INVALID_OAUTH"}}' \\
  "$CONSOLE_URL/api/v1/connections/12/token/rejected"`;

const DESK_CURL = `curl -s -H "Authorization: Bearer $CONSOLE_API_KEY" \\
  "$CONSOLE_URL/api/v1/connections/12/proxy/desk/api/v1/tickets?limit=10"`;

const proxyOperation = (method: string): ZodOpenApiOperationObject => ({
  operationId: `proxy${method}`,
  tags: ["Zoho proxy"],
  summary: `${method} a Zoho API through the console`,
  description: [
    "The console makes the Zoho call for the service: to the product's host in the connection's data centre, with the",
    "access token and the bound organisation's header (Desk `orgId`, Assist department) injected. Method, query, body and",
    "content type pass through; Zoho's answer comes back as Zoho gave it, HTTP-200 errors included. When Zoho says the",
    "token is invalid, the console refreshes once and retries once (answer header `X-Console-Token-Refreshed: true`).",
    "An error the console recognises (a missing scope, an organisation the token cannot use, a dead token) also carries",
    "`X-Console-Advice`: what to do, naming the scope to add when the catalogue knows the call.",
    "The path can never leave the Zoho host: `..`, empty segments, encoded slashes and absolute URLs are refused.",
    "",
    "```sh",
    DESK_CURL,
    "```",
  ].join("\n"),
  requestParams: { path: proxyPathParams },
  ...(method === "GET" || method === "DELETE" ? {} : { requestBody: { content: { "*/*": { schema: z.any() } } } }),
  responses: {
    default: { description: "Zoho's answer: status, body and content type as Zoho sent them." },
    ...errors("400", "401", "403", "404", "409", "410", "429", "502", "503"),
    "413": { description: "`payload_too_large`: the body exceeds the proxy's limit.", content: json(errorSchema) },
  },
  ...curl("Shell", DESK_CURL),
});

/** Alert events as OpenAPI webhooks: what a webhook destination receives, signed per Standard Webhooks. */
const webhooks: Record<string, ZodOpenApiPathItemObject> = Object.fromEntries(
  EVENT_TYPES.map((type) => [
    type,
    {
      post: {
        operationId: `event_${type.replace(/\./g, "_")}`,
        tags: ["Alert events"],
        summary: EVENT_DESCRIPTIONS[type],
        description: [
          "Sent to webhook destinations (Settings → Alerts) that subscribe to this event. Signed per the Standard Webhooks",
          "specification: headers `webhook-id` (the event's `id`, the same on every retry), `webhook-timestamp` (Unix seconds",
          "of this attempt) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>` under the destination's",
          "`whsec_` secret; two signatures, space-separated, for 24 h after a rotation). Answer 2xx; 5xx, 408 and 429",
          "(`Retry-After` honoured) are retried with backoff for 24 hours, other 4xx are final.",
        ].join(" "),
        security: [],
        requestBody: { content: json(eventSchema(type)) },
        responses: { "200": { description: "Received (any 2xx)." } },
      },
    },
  ]),
);

export function openApiDocument(serverUrl: string) {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Zoho OAuth Console API",
      version: "1.0.0",
      description: [
        "Services fetch always-valid Zoho access tokens, or have their Zoho calls made for them, with one scoped API key",
        "instead of holding Zoho secrets. Send the key as `Authorization: Bearer zoc_…`; admins create keys under",
        "Settings → API keys. Every error is `{\"error\":{\"code\",\"message\"}}` with a stable code.",
      ].join(" "),
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", bearerFormat: "zoc_…", description: "A console API key." } },
    },
    tags: [
      { name: "Connections", description: "Metadata and status; never a token." },
      { name: "Tokens", description: "Always-valid access tokens." },
      { name: "Zoho proxy", description: "Zoho calls made by the console." },
      { name: "Reference", description: "This API's own description." },
      { name: "Alert events", description: "What the console POSTs to webhook destinations (version 1)." },
    ],
    webhooks,
    paths: {
      "/api/v1/connections": {
        get: {
          operationId: "listConnections",
          tags: ["Connections"],
          summary: "List the connections this key may use",
          requestParams: { query: listQuery },
          responses: { "200": { description: "A page of connections, by id.", content: json(connectionListSchema) }, ...errors("400", "401", "403", "429") },
        },
      },
      "/api/v1/connections/{id}": {
        get: {
          operationId: "getConnection",
          tags: ["Connections"],
          summary: "One connection, with its organisation binding",
          requestParams: { path: connectionPathParams },
          responses: { "200": { description: "The connection.", content: json(connectionDetailSchema) }, ...errors("400", "401", "403", "404", "429") },
        },
      },
      "/api/v1/connections/{id}/token": {
        get: {
          operationId: "getToken",
          tags: ["Tokens"],
          summary: "A valid access token, refreshed first when needed",
          description: [
            "Answers the connection's access token with at least `min_validity` seconds left, refreshing it first through",
            "the console's refresh engine when less is left: however many callers ask at once, in one console process or",
            "several, Zoho sees at most one refresh. `services` says, per bound service, the base URL and headers a call needs.",
            "",
            "```sh",
            TOKEN_CURL,
            "```",
          ].join("\n"),
          requestParams: { path: connectionPathParams, query: tokenQuery },
          responses: {
            "200": { description: "The token and what calls need besides it.", content: json(tokenSchema) },
            ...errors("400", "401", "403", "404", "409", "410", "429", "502", "503"),
          },
          ...curl("Shell", TOKEN_CURL),
        },
      },
      "/api/v1/connections/{id}/token/rejected": {
        post: {
          operationId: "reportRejectedToken",
          tags: ["Tokens"],
          summary: "Say that Zoho refused a token: get a new one",
          description: [
            "A service that calls Zoho directly reports here when Zoho refuses a token from `/token` before its expiry (the",
            "Zoho user removed the grant, an admin revoked it). The console stops handing the token out, refreshes at once",
            "(one refresh however many callers report it) and answers the new token; if Zoho refuses the refresh token too,",
            "the answer is `409 needs_reauth` and the connection shows that it needs re-authorization.",
            "",
            "Only an answer that names the token invalid counts (`422 not_a_token_refusal` otherwise: a missing scope or a",
            "wrong organisation is not cured by a new token). A token minted to replace a refused one and refused again within",
            "ten minutes is `409 token_refused_again`; one key's reports replace a connection's token at most twice in ten",
            "minutes (`429`), so no caller can use up Zoho's refresh budget that every caller shares.",
            "",
            "```sh",
            REJECTED_CURL,
            "```",
          ].join("\n"),
          requestParams: { path: connectionPathParams },
          requestBody: { content: json(tokenRejectedBody) },
          responses: {
            "200": { description: "The connection's new (or already current) token.", content: json(tokenRejectedSchema) },
            ...errors("400", "401", "403", "404", "409", "410", "422", "429", "502", "503"),
          },
          ...curl("Shell", REJECTED_CURL),
        },
      },
      "/api/v1/connections/{id}/proxy/{service}/{path}": {
        description: "`{path}` is the rest of the URL and may contain slashes.",
        get: proxyOperation("GET"),
        post: proxyOperation("POST"),
        put: proxyOperation("PUT"),
        patch: proxyOperation("PATCH"),
        delete: proxyOperation("DELETE"),
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "getOpenApi",
          tags: ["Reference"],
          summary: "This document",
          security: [],
          responses: { "200": { description: "The OpenAPI 3.1 document." } },
        },
      },
    },
  });
}
