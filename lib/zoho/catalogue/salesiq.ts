import { api, scopeOf, type ScopeEntry, type ServiceEntry } from "./types";

const v2 = (
  resource: string,
  operation: ScopeEntry["operation"],
  description: string,
  apis: ScopeEntry["apis"] = [],
): ScopeEntry => scopeOf("salesiq", "SalesIQ", resource, operation, description, apis, { apiVersion: "v2" });

// The older v1 API has its own scopes; Zoho's SalesIQ OAuth guide maps them to these calls.
const v1 = (
  resource: string,
  operation: ScopeEntry["operation"],
  description: string,
  apis: ScopeEntry["apis"],
): ScopeEntry => scopeOf("salesiq", "SalesIQ", resource, operation, description, apis, { apiVersion: "v1" });

const P = "/api/v2/{screenname}";
const P1 = "/api/v1/{screenname}";

/** SalesIQ's CRUD family for one module of a portal. */
function crud(resource: string, noun: string, plural: string, idName: string): ScopeEntry[] {
  const base = `${P}/${resource}`;
  const item = `${base}/{${idName}}`;
  return [
    v2(resource, "ALL", `Every operation on ${plural}.`, [
      api(`List ${plural}`, "GET", base),
      api(`Add a ${noun}`, "POST", base),
      api(`Update a ${noun}`, "PUT", item),
      api(`Delete a ${noun}`, "DELETE", item),
    ]),
    v2(resource, "READ", `Read ${plural}.`, [api(`List ${plural}`, "GET", base), api(`Get a ${noun}`, "GET", item)]),
    v2(resource, "CREATE", `Add ${plural}.`, [api(`Add a ${noun}`, "POST", base)]),
    v2(resource, "UPDATE", `Update ${plural}.`, [api(`Update a ${noun}`, "PUT", item)]),
    v2(resource, "DELETE", `Delete ${plural}.`, [api(`Delete a ${noun}`, "DELETE", item)]),
  ];
}

export const SALESIQ: ServiceEntry = {
  id: "salesiq",
  name: "Zoho SalesIQ",
  scopePrefix: "SalesIQ",
  description: "Live chat, visitors and operators of SalesIQ portals.",
  discovery: {
    description:
      "A Zoho user can own or operate several SalesIQ portals. The console lists them with the new " +
      "token and binds one by its screen name; later calls live under `/api/v2/{screenname}/…`.",
    base: "salesiq",
    method: "GET",
    path: "/api/v2/portals",
    scope: "SalesIQ.portals.READ",
    purpose: "choose a SalesIQ portal",
  },
  scopes: [
    v2("portals", "READ", "Read portals (needed to discover portals).", [
      api("List portals", "GET", "/api/v2/portals"),
      api("Get a portal", "GET", P),
    ]),
    v2("portals", "CREATE", "Create portals.", [api("Create a portal", "POST", "/api/v2/portals")]),
    v2("portals", "UPDATE", "Update portal settings.", [api("Update a portal", "PUT", P)]),
    v2("portals", "ALL", "Every operation on portals.", [
      api("List portals", "GET", "/api/v2/portals"),
      api("Create a portal", "POST", "/api/v2/portals"),
      api("Update a portal", "PUT", P),
    ]),
    ...crud("operators", "operator", "operators", "operator_id"),
    ...crud("departments", "department", "departments", "department_id"),
    v2("conversations", "READ", "Read conversations and their messages.", [
      api("List conversations", "GET", `${P}/conversations`),
      api("Get a conversation", "GET", `${P}/conversations/{conversation_id}`),
      api("List conversation messages", "GET", `${P}/conversations/{conversation_id}/messages`),
    ]),
    v2("conversations", "UPDATE", "Reply to, transfer and close conversations.", [
      api("Send a message", "POST", `${P}/conversations/{conversation_id}/messages`),
      api("Update a conversation", "PUT", `${P}/conversations/{conversation_id}`),
    ]),
    v2("visitors", "ALL", "Every operation on visitors.", [
      api("Get a visitor", "GET", `${P}/visitors/{visitor_id}`),
      api("Update a visitor", "PUT", `${P}/visitors/{visitor_id}`),
    ]),
    v2("visitors", "READ", "Read visitors.", [api("Get a visitor", "GET", `${P}/visitors/{visitor_id}`)]),
    v2("visitors", "UPDATE", "Update visitors.", [api("Update a visitor", "PUT", `${P}/visitors/{visitor_id}`)]),
    v2("webhooks", "CREATE", "Create webhooks and their signing keys.", [
      api("Create a webhook", "POST", `${P}/webhooks`),
      api("Generate webhook keys", "POST", `${P}/webhooks/{id}/keys`),
    ]),
    v2("webhooks", "DELETE", "Delete webhooks.", [api("Delete a webhook", "DELETE", `${P}/webhooks/{id}`)]),
    v2("PushNotifications", "UPDATE", "Send push notifications to app users.", [
      api("Push notification", "POST", `${P1}/pushnotifications`),
    ]),
    v1("chatdetails", "READ", "Read chats, their details and attachments (v1 API).", [
      api("Chat list", "GET", `${P1}/chats`),
      api("Chat info", "GET", `${P1}/chats/{chat_id}`),
      api("Attachments", "GET", `${P1}/chats/{chat_id}/attachments`),
    ]),
    v1("chattranscript", "READ", "Read chat transcripts (v1 API).", [
      api("Chat transcript", "GET", `${P1}/chats/{chat_id}/transcript`),
    ]),
    v1("visitordetails", "READ", "Read visitor details (v1 API).", [
      api("Visitor details", "GET", `${P1}/visitors/{visitor_id}`),
    ]),
    v1("visitordetails", "UPDATE", "Update visitor information (v1 API).", [
      api("Update visitor info", "PUT", `${P1}/visitors/{visitor_id}`),
    ]),
  ],
};
