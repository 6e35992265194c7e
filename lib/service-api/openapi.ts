// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate with.
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { z } from "zod";
import {
  connectionDetailSchema,
  connectionListSchema,
  connectionPathParams,
  errorSchema,
  listQuery,
  proxyPathParams,
  tokenQuery,
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
  "409": { description: "`needs_reauth`: Zoho no longer accepts the connection's refresh token; an operator must reconnect it." },
  "410": { description: "`revoked`: the connection was revoked in the console." },
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
    ],
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
