// /_sandbox/*: JSON in, JSON out, for tests and demos. No authentication: the sandbox is a local
// development tool and listens on 127.0.0.1 by default.
import type { ServerResponse } from "node:http";
import { tokensView, clientView } from "./admin-views";
import { createClient, createOrg, createUser, generateSelfClientCode } from "./clients";
import { ACCESS_DENIED, type Ctx } from "./context";
import { issueCode, removeGrants } from "./grants";
import { readJsonObject, sendJson, type Req } from "./http";
import { parseScopeList } from "./scopes";
import { emptyCounters } from "./seed";
import { apiFaultInput, clientInput, faultInput, limitsInput, orgInput, userByEmail } from "./admin-inputs";
import { InputError, asObject, optDc, optDcList, optNumber, optString, optStringList, reqString } from "./validate";

type Body = Record<string, unknown>;
type Result = { status: number; body: unknown };

const ok = (body: unknown, status = 200): Result => ({ status, body });

export async function handleAdmin(ctx: Ctx, req: Req, res: ServerResponse, segs: string[]): Promise<void> {
  let body: Body = {};
  if (req.method === "POST" || req.method === "PATCH") {
    const parsed = await readJsonObject(req);
    if (!parsed.ok) return sendJson(res, 400, { error: "bad_request", message: parsed.error });
    body = parsed.value;
  }
  try {
    const result = route(ctx, req, segs, body);
    sendJson(res, result.status, result.body);
  } catch (err) {
    if (err instanceof InputError) return sendJson(res, 400, { error: "bad_request", message: err.message });
    throw err;
  }
}

function route(ctx: Ctx, req: Req, segs: string[], body: Body): Result {
  const { store } = ctx;
  const { state } = store;
  const [what, id] = segs;
  const key = `${req.method} ${what ?? ""}${id !== undefined ? "/:id" : ""}`;
  switch (key) {
    case "GET ":
      return ok({ endpoints: ENDPOINTS });
    case "POST reset":
      store.reset();
      ctx.sessions.clear();
      return ok({ status: "success" });
    case "GET clients":
      return ok({ clients: Object.values(state.clients).map(clientView) });
    case "GET clients/:id":
      return state.clients[id] ? ok(clientView(state.clients[id])) : notFound("client");
    case "POST clients":
      return ok(clientView(createClient(store, clientInput(ctx, body))), 201);
    case "PATCH clients/:id":
      return patchClient(ctx, id, body);
    case "DELETE clients/:id":
      if (!state.clients[id]) return notFound("client");
      delete state.clients[id];
      store.changed();
      return ok({ status: "success" });
    case "GET users":
      return ok({ users: Object.values(state.users) });
    case "POST users":
      return ok(
        createUser(store, {
          email: reqString(body, "email", 320),
          password: optString(body, "password", 200) ?? "sandbox",
          firstName: optString(body, "firstName", 100),
          lastName: optString(body, "lastName", 100),
          dc: optDc(body, "dc"),
          zuid: optString(body, "zuid", 19),
        }),
        201,
      );
    case "GET orgs":
      return ok({ orgs: state.orgs });
    case "POST orgs":
      return ok(createOrg(store, orgInput(ctx, body)), 201);
    case "POST codes":
      return createCode(ctx, body);
    case "GET clock":
      return ok(clockView(ctx));
    case "POST clock": {
      const advance = optNumber(body, "advanceSeconds", -10 * 365 * 86400, 10 * 365 * 86400);
      const offset = optNumber(body, "offsetSeconds", -10 * 365 * 86400, 10 * 365 * 86400);
      if (advance === undefined && offset === undefined) throw new InputError("advanceSeconds is required");
      if (offset !== undefined) state.clockOffsetMs = Math.round(offset * 1000);
      if (advance !== undefined) state.clockOffsetMs += Math.round(advance * 1000);
      store.changed();
      return ok(clockView(ctx));
    }
    case "GET faults":
      return ok(state.faults);
    case "POST faults":
      state.faults = {
        token: body.token === undefined ? undefined : faultInput(asObject(body.token, "token")),
        api: body.api === undefined ? undefined : apiFaultInput(asObject(body.api, "api")),
      };
      store.changed();
      return ok(state.faults);
    case "DELETE faults":
      state.faults = {};
      store.changed();
      return ok(state.faults);
    case "POST revoke-grants": {
      const user = userByEmail(ctx, reqString(body, "email", 320));
      const clientId = reqString(body, "clientId", 100);
      if (!state.clients[clientId]) return notFound("client");
      return ok({ status: "success", revoked: removeGrants(store, user.zuid, clientId) });
    }
    case "GET counters":
      return ok(state.counters);
    case "DELETE counters":
      state.counters = emptyCounters();
      store.changed();
      return ok(state.counters);
    case "GET limits":
      return ok(state.limits);
    case "POST limits":
      state.limits = { ...state.limits, ...limitsInput(body) };
      store.changed();
      return ok(state.limits);
    case "GET tokens":
      return tokensView(ctx, req.query);
    default:
      return { status: 404, body: { error: "not_found", message: `no admin route ${req.method} /_sandbox/${segs.join("/")}` } };
  }
}

const ENDPOINTS = [
  "POST /_sandbox/reset",
  "GET|POST /_sandbox/clients, GET|PATCH|DELETE /_sandbox/clients/:clientId",
  "GET|POST /_sandbox/users",
  "GET|POST /_sandbox/orgs",
  "POST /_sandbox/codes",
  "GET|POST /_sandbox/clock",
  "GET|POST|DELETE /_sandbox/faults",
  "POST /_sandbox/revoke-grants",
  "GET|DELETE /_sandbox/counters",
  "GET|POST /_sandbox/limits",
  "GET /_sandbox/tokens?access_token=|refresh_token=|token=|email=&clientId=",
];

function notFound(what: string): Result {
  return { status: 404, body: { error: "not_found", message: `${what} not found` } };
}

function clockView(ctx: Ctx) {
  const now = ctx.store.now();
  return { now: new Date(now).toISOString(), nowMs: now, offsetSeconds: ctx.store.state.clockOffsetMs / 1000 };
}

function patchClient(ctx: Ctx, id: string, body: Body): Result {
  const client = ctx.store.state.clients[id];
  if (!client) return notFound("client");
  const enabled = optDcList(body, "enabledDcs");
  const uris = optStringList(body, "redirectUris");
  const name = optString(body, "name", 200);
  const secret = optString(body, "clientSecret", 200);
  if (enabled) {
    if (client.type === "self" && enabled.some((d) => d !== client.homeDc)) throw new InputError("a self client cannot be multi-DC");
    client.enabledDcs = [...new Set([client.homeDc, ...enabled])];
  }
  if (uris) client.redirectUris = uris;
  if (name) client.name = name;
  if (secret) client.clientSecret = secret;
  ctx.store.changed();
  return ok(clientView(client));
}

function createCode(ctx: Ctx, body: Body): Result {
  const { store } = ctx;
  const client = store.state.clients[reqString(body, "clientId", 100)];
  if (!client) return notFound("client");
  const user = userByEmail(ctx, reqString(body, "email", 320));
  const scopeText = (optStringList(body, "scopes") ?? []).join(",");
  let code;
  if (client.type === "self") {
    if (client.ownerZuid !== user.zuid) throw new InputError("a self client's codes belong to its owner");
    code = generateSelfClientCode(store, client, {
      scopes: scopeText,
      minutes: optNumber(body, "durationMinutes", 3, 10) ?? 3,
      description: optString(body, "description", 500) ?? "",
      orgId: optString(body, "orgId", 40),
    });
  } else {
    const scopes = parseScopeList(scopeText, store.state.limits);
    if (!scopes) throw new InputError("scopes are missing or invalid");
    const redirectUri = optString(body, "redirectUri", 2000) ?? client.redirectUris[0];
    if (!client.redirectUris.includes(redirectUri)) throw new InputError("redirectUri is not registered for this client");
    const orgId = optString(body, "orgId", 40);
    const org = orgId ? store.orgsOf(user.zuid).find((o) => o.id === orgId) : undefined;
    if (orgId && !org) throw new InputError("orgId is not an organisation of this user");
    const issued = issueCode(store, {
      clientId: client.clientId,
      zuid: user.zuid,
      dc: user.dc,
      scopes,
      redirectUri,
      issueRefreshToken: (optString(body, "accessType", 10) ?? "offline") === "offline",
      orgBinding: org ? { service: org.service, orgId: org.id } : null,
      selfClient: false,
      lifetimeSec: optNumber(body, "lifetimeSec", 1, 86400),
    });
    if (issued === "throttled") return { status: 429, body: ACCESS_DENIED };
    code = issued;
  }
  return ok(
    { code: code.code, location: code.dc, accountsServer: ctx.urls.accounts(code.dc), expiresAt: new Date(code.expiresAt).toISOString() },
    201,
  );
}
