// Resource servers: Desk, Assist, SalesIQ, and the bare API domain. Each checks the token (alive,
// minted in this DC), its scope and the organisation, and fails the way that product does.
import type { ServerResponse } from "node:http";
import type { Dc } from "./config";
import type { Ctx } from "./context";
import { liveAccessToken } from "./grants";
import { newNumericId } from "./ids";
import { headerValue, readBody, sendJson, zohoOauthToken, type Req } from "./http";
import { scopeAllows } from "./scopes";
import type { AccessTokenRecord, ApiFault, SandboxOrg, SandboxUser } from "./types";

export type Product = "desk" | "assist" | "salesiq" | "zohoapis";

interface Call {
  ctx: Ctx;
  req: Req;
  res: ServerResponse;
  dc: Dc;
  route: string;
  at: AccessTokenRecord;
  user: SandboxUser;
}

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");

/** Largest JSON body Desk's create calls read here; larger ones answer 413. */
const MAX_DESK_BODY_BYTES = 1024 * 1024;

export function handleProduct(
  ctx: Ctx,
  req: Req,
  res: ServerResponse,
  dc: Dc,
  product: Product,
  rest: string[],
): void | Promise<void> {
  const token = zohoOauthToken(headerValue(req, "authorization"));
  const at = liveAccessToken(ctx.store, token, dc);
  const route = rest.join("/");
  if (!token && product === "salesiq") {
    // SalesIQ tells a missing or malformed Authorization header (1002) from a dead token (1008).
    return sendJson(res, 200, { error: { code: 1002, message: "Missing or invalid Authorization header" } });
  }
  if (!at) return invalidToken(res, product);
  const call: Call = { ctx, req, res, dc, route, at, user: ctx.store.state.users[at.zuid] };
  const fault = takeApiFault(ctx);
  const answer = () => {
    if (fault?.status === undefined) return answerProduct(call, product);
    res.writeHead(fault.status, { "content-type": "application/json;charset=UTF-8" });
    res.end(fault.body ?? "");
  };
  const delayMs = Math.min(fault?.delayMs ?? 0, 120_000);
  if (delayMs > 0) return new Promise<void>((r) => setTimeout(r, delayMs)).then(answer);
  return answer();
}

/**
 * The injected product-API fault for this call, if any (POST /_sandbox/faults {api: {delayMs,
 * status?, body?, count?}}): a delay, or an answer of the test's choosing (a bare 401, an HTML
 * error page, an error code) for a call whose token is valid.
 */
function takeApiFault(ctx: Ctx): ApiFault | undefined {
  const { faults } = ctx.store.state;
  const fault = faults.api;
  if (!fault) return undefined;
  if (typeof fault.count === "number") {
    fault.count -= 1;
    if (fault.count <= 0) delete faults.api;
    ctx.store.changed();
  }
  return fault;
}

function answerProduct(call: Call, product: Product): void | Promise<void> {
  const { res } = call;
  if (product === "desk") return desk(call);
  if (product === "assist") return assist(call);
  if (product === "salesiq") return salesiq(call);
  sendJson(res, 404, {
    code: "INVALID_URL_PATTERN",
    details: {},
    message: "Please check if the URL trying to access is a correct one",
    status: "error",
  });
}

function invalidToken(res: ServerResponse, product: Product): void {
  switch (product) {
    case "desk":
      return sendJson(res, 401, { errorCode: "INVALID_OAUTH", message: "The OAuth Token you provided is invalid." });
    case "assist":
      // Assist's errors carry numeric codes only, like SalesIQ's: 1008 is an invalid token.
      return sendJson(res, 401, { error: { code: 1008, message: "The OAuth token is invalid or has expired." } });
    case "salesiq":
      // SalesIQ answers its errors with HTTP 200 and numeric codes only: 1008 is an invalid token.
      return sendJson(res, 200, { error: { code: 1008, message: "Invalid access token" } });
    default:
      return sendJson(res, 401, { code: "INVALID_TOKEN", details: {}, message: "invalid oauth token", status: "error" });
  }
}

function userOrgs(call: Call, service: SandboxOrg["service"]): SandboxOrg[] {
  return call.ctx.store.orgsOf(call.user.zuid, service).filter((o) => o.dc === call.dc);
}

const SCOPE_MISMATCH = { errorCode: "SCOPE_MISMATCH", message: "The OAuth scope does not allow this request." };

/** Desk's `SCOPE_MISMATCH`, with the status the limits choose (Desk documents only the code). */
function deskScopeMismatch(call: Call): void {
  sendJson(call.res, call.ctx.store.state.limits.deskScopeMismatchStatus, SCOPE_MISMATCH);
}

function desk(call: Call): void | Promise<void> {
  const { res, route, at, ctx, dc } = call;
  const fail = (status: number, errorCode: string, message: string) => sendJson(res, status, { errorCode, message });
  if (route !== "api/v1/organizations" && route !== "api/v1/tickets") {
    return fail(404, "URL_NOT_FOUND", "The URL you requested could not be found.");
  }
  if (route === "api/v1/tickets" && call.req.method === "POST") return createDeskTicket(call);
  if (call.req.method !== "GET") return fail(405, "METHOD_NOT_ALLOWED", "This method is not allowed on this URL.");
  const orgs = userOrgs(call, "desk");
  if (route === "api/v1/organizations") {
    // Desk documents that listing organisations needs Desk.basic.READ; no other scope will do.
    if (!scopeAllows(at.scopes, "desk", ["basic"], ["READ"])) return deskScopeMismatch(call);
    return sendJson(res, 200, {
      data: orgs.map((o, i) => ({
        id: o.id,
        companyName: o.name,
        portalName: o.portalName ?? o.id,
        portalURL: `${ctx.urls.product(dc, "desk")}/portal/${o.portalName ?? o.id}`,
        isDefault: i === 0,
        isAdminInOrg: true,
        edition: o.edition ?? "ENTERPRISE",
        createdTime: iso(o.createdAt),
      })),
    });
  }
  if (!scopeAllows(at.scopes, "desk", ["tickets"], ["READ"])) return deskScopeMismatch(call);
  const org = deskOrg(call);
  if (!org) return;
  const subjects = ["Cannot sign in to the portal", "Invoice shows the wrong VAT", "Feature request: dark mode"];
  sendJson(res, 200, {
    data: subjects.map((subject, i) => ({
      id: `${org.id}00${i + 1}`,
      ticketNumber: String(101 + i),
      subject,
      status: i === 2 ? "Closed" : "Open",
      email: `customer${i + 1}@example.com`,
      departmentId: `${org.id}90`,
      createdTime: iso(org.createdAt + i * 86_400_000),
    })),
  });
}

/**
 * The org named by the `orgId` header, after Desk's checks: 422 without it; `OAUTH_ORG_MISMATCH`
 * when the token cannot be used for it (not one of the user's orgs, or a token bound to another).
 */
function deskOrg(call: Call): SandboxOrg | undefined {
  const orgId = headerValue(call.req, "orgid");
  if (!orgId) {
    sendJson(call.res, 422, { errorCode: "UNPROCESSABLE_ENTITY", message: "The orgId header is required." });
    return undefined;
  }
  const bound = call.at.orgBinding?.service === "desk" ? call.at.orgBinding.orgId : undefined;
  const org = userOrgs(call, "desk").find((o) => o.id === orgId && (bound === undefined || bound === o.id));
  if (!org) {
    sendJson(call.res, call.ctx.store.state.limits.deskOrgMismatchStatus, {
      errorCode: "OAUTH_ORG_MISMATCH",
      message: "The OAuth token is not valid for the organization given in orgId.",
    });
  }
  return org;
}

const optionalText = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** `POST /api/v1/tickets`: scope, org, JSON body, then a non-empty `subject`. */
async function createDeskTicket(call: Call): Promise<void> {
  const { res, at, ctx } = call;
  const fail = (status: number, errorCode: string, message: string, extra: Record<string, unknown> = {}) =>
    sendJson(res, status, { errorCode, message, ...extra });
  if (!scopeAllows(at.scopes, "desk", ["tickets"], ["CREATE", "WRITE"])) return deskScopeMismatch(call);
  const org = deskOrg(call);
  if (!org) return;
  const type = String(headerValue(call.req, "content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    return fail(415, "UNSUPPORTED_MEDIA_TYPE", "The request body must be sent as application/json.");
  }
  const body = await readBody(call.req.raw, MAX_DESK_BODY_BYTES);
  if (!body.ok) return fail(413, "PAYLOAD_TOO_LARGE", "The request body is too large.");
  let input: unknown;
  try {
    input = JSON.parse(body.data.toString("utf8"));
  } catch {
    input = undefined;
  }
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    return fail(422, "UNPROCESSABLE_ENTITY", "The request body must be a JSON object.");
  }
  const fields = input as Record<string, unknown>;
  const subject = fields.subject;
  if (typeof subject !== "string" || subject.trim() === "") {
    return fail(422, "UNPROCESSABLE_ENTITY", "An invalid value was given for one or more fields.", {
      errors: [{ fieldName: "/subject", errorType: "missing" }],
    });
  }
  sendJson(res, 200, {
    id: `${org.id}${newNumericId(6)}`,
    ticketNumber: newNumericId(3),
    subject,
    status: "Open",
    email: optionalText(fields.email),
    description: optionalText(fields.description),
    departmentId: optionalText(fields.departmentId) ?? `${org.id}90`,
    createdTime: iso(ctx.store.now()),
  });
}

/**
 * Assist's error body is `{"error":{"code":<number>,"message":…}}` with the HTTP statuses of its
 * error page (401, 404, 405, …). Its page shows the shape with code 1009; the other numbers follow
 * the scheme Zoho's SalesIQ documents (1005 organisation, 1006 URL, 1008 token, 1009 scope).
 */
function assist(call: Call): void {
  const { res, route, at } = call;
  const fail = (status: number, code: number, message: string) => sendJson(res, status, { error: { code, message } });
  if (route !== "api/v2/user") return fail(404, 1006, "Invalid URL");
  if (call.req.method !== "GET") return fail(405, 1006, "Method not allowed for this URL");
  // `users` only exists when the example scope ZohoAssist.users.ALL is accepted.
  if (!scopeAllows(at.scopes, "zohoassist", ["userapi", "users"], ["READ"])) return fail(401, 1009, "Invalid OAuth scope");
  // Assist tokens are bound at consent to one organisation of one environment.
  const org =
    at.orgBinding?.service === "assist" ? userOrgs(call, "assist").find((o) => o.id === at.orgBinding?.orgId) : undefined;
  if (!org) return fail(400, 1005, "No Zoho Assist organisation is bound to this token");
  sendJson(res, 200, {
    resource_type: "user",
    representation: {
      zuid: call.user.zuid,
      email: call.user.email,
      display_name: `${call.user.firstName} ${call.user.lastName}`.trim(),
      user_role: "Admin",
      org_details: { zsoid: org.id, org_name: org.name, environment: org.environment ?? "production" },
      departments: (org.departments ?? []).map((d) => ({
        department_id: d.id,
        department_name: d.name,
        display_name: d.displayName,
      })),
    },
  });
}

function salesiq(call: Call): void {
  const { res, route, at } = call;
  // All SalesIQ errors come back with HTTP 200: 1005 invalid portal, 1006 invalid URL, 1008 invalid
  // token, 1009 invalid scope. No message says INVALID_OAUTHTOKEN; only the number tells.
  const fail = (code: number, message: string) => sendJson(res, 200, { error: { code, message } });
  const parts = route.split("/");
  if (call.req.method !== "GET" || parts[0] !== "api" || parts[1] !== "v2") return fail(1006, "Invalid URL");
  const portals = userOrgs(call, "salesiq");
  if (route === "api/v2/portals") {
    if (!scopeAllows(at.scopes, "salesiq", ["portals"], ["READ"])) return fail(1009, "Invalid OAuth scope");
    return sendJson(res, 200, {
      url: "/api/v2/portals",
      object: "list",
      data: portals.map((p) => ({
        screenname: p.screenname,
        name: p.name,
        owner_zuid: p.memberZuids[0],
        operator_id: `${p.id}1`,
        created_time: String(p.createdAt),
      })),
    });
  }
  if (parts.length === 4 && (parts[3] === "chats" || parts[3] === "conversations")) {
    const portal = portals.find((p) => p.screenname === parts[2]);
    if (!portal) return fail(1005, "Invalid portal");
    if (!scopeAllows(at.scopes, "salesiq", ["chatdetails", "conversations"], ["READ"])) {
      return fail(1009, "Invalid OAuth scope");
    }
    const questions = ["Do you ship to Norway?", "How do I reset my password?"];
    return sendJson(res, 200, {
      url: `/api/v2/${portal.screenname}/${parts[3]}`,
      object: "list",
      data: questions.map((question, i) => ({
        chat_id: `${portal.id}0${i + 1}`,
        question,
        visitor_name: `Visitor ${i + 1}`,
        visitor_email: `visitor${i + 1}@example.com`,
        start_time: String(portal.createdAt + i * 3_600_000),
      })),
    });
  }
  fail(1006, "Invalid URL");
}
