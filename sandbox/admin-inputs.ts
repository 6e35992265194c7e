// Parsing and checking of admin API request bodies.
import type { Ctx } from "./context";
import { DEFAULT_LIMITS, STATUS_LIMITS, type Limits } from "./config";
import type { ApiFault, Service, TokenFault } from "./types";
import { InputError, asObject, optDc, optDcList, optNumber, optString, optStringList, reqString } from "./validate";

type Body = Record<string, unknown>;

export function userByEmail(ctx: Ctx, email: string) {
  const user = ctx.store.userByEmail(email);
  if (!user) throw new InputError(`no user ${email}`);
  return user;
}

export function clientInput(ctx: Ctx, body: Body) {
  const type = optString(body, "type", 10) ?? "server";
  if (type !== "server" && type !== "self") throw new InputError('type must be "server" or "self"');
  const ownerEmail = optString(body, "ownerEmail", 320);
  const dcSecrets = body.dcSecrets === undefined ? undefined : asObject(body.dcSecrets, "dcSecrets");
  return {
    name: optString(body, "name", 200) || (type === "self" ? "Self Client" : "Sandbox client"),
    type: type as "server" | "self",
    homepage: optString(body, "homepage", 2000),
    redirectUris: optStringList(body, "redirectUris"),
    homeDc: optDc(body, "homeDc"),
    enabledDcs: optDcList(body, "enabledDcs"),
    ownerZuid: ownerEmail ? userByEmail(ctx, ownerEmail).zuid : null,
    clientId: optString(body, "clientId", 100),
    clientSecret: optString(body, "clientSecret", 200),
    dcSecrets: dcSecrets && Object.fromEntries(Object.keys(dcSecrets).map((k) => [optDc({ k }, "k")!, reqString(dcSecrets, k, 200)])),
  };
}

export function orgInput(ctx: Ctx, body: Body) {
  const service = reqString(body, "service", 20);
  if (service !== "desk" && service !== "assist" && service !== "salesiq") throw new InputError("service must be desk, assist or salesiq");
  const members = optStringList(body, "memberEmails") ?? optStringList(body, "members") ?? [];
  const environment = optString(body, "environment", 20);
  if (environment && !["production", "sandbox", "developer"].includes(environment)) {
    throw new InputError("environment must be production, sandbox or developer");
  }
  return {
    service: service as Service,
    name: reqString(body, "name", 200),
    memberZuids: members.map((e) => userByEmail(ctx, e).zuid),
    dc: optDc(body, "dc"),
    id: optString(body, "id", 40),
    environment: environment as "production" | "sandbox" | "developer" | undefined,
    departments: optStringList(body, "departments"),
    screenname: optString(body, "screenname", 50),
    portalName: optString(body, "portalName", 100),
    edition: optString(body, "edition", 40),
  };
}

export function apiFaultInput(o: Body): ApiFault {
  const delayMs = optNumber(o, "delayMs", 0, 120_000);
  if (delayMs === undefined) throw new InputError("api.delayMs is required");
  const fault: ApiFault = { delayMs };
  const count = optNumber(o, "count", 1, 1_000_000);
  if (count !== undefined) fault.count = Math.floor(count);
  const status = optNumber(o, "status", 200, 599);
  if (status !== undefined) fault.status = Math.floor(status);
  const body = optString(o, "body", 65_536);
  if (body !== undefined) fault.body = body;
  return fault;
}

export function faultInput(o: Body): TokenFault {
  const fault: TokenFault = {};
  const status = optNumber(o, "status", 500, 599);
  if (status !== undefined) fault.status = Math.floor(status);
  const delay = optNumber(o, "delayMs", 0, 120_000);
  if (delay !== undefined) fault.delayMs = delay;
  const count = optNumber(o, "count", 1, 1_000_000);
  if (count !== undefined) fault.count = Math.floor(count);
  if (o.throttle !== undefined) {
    if (typeof o.throttle !== "boolean") throw new InputError("throttle must be true or false");
    fault.throttle = o.throttle;
  }
  return fault;
}

export function limitsInput(body: Body): Partial<Limits> {
  const out: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(body)) {
    if (!(k in DEFAULT_LIMITS)) throw new InputError(`unknown limit ${k}`);
    const expected = typeof DEFAULT_LIMITS[k as keyof Limits];
    if (expected === "boolean") {
      if (typeof v !== "boolean") throw new InputError(`${k} must be true or false`);
      out[k] = v;
    } else if ((STATUS_LIMITS as readonly string[]).includes(k)) {
      out[k] = Math.floor(optNumber(body, k, 400, 499)!);
    } else {
      out[k] = optNumber(body, k, 1, 10 * 365 * 86400)!;
    }
  }
  return out as Partial<Limits>;
}
