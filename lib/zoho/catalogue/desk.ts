import { api, scopeOf, type ScopeEntry, type ServiceEntry } from "./types";

const s = (
  resource: string,
  operation: ScopeEntry["operation"],
  description: string,
  apis: ScopeEntry["apis"] = [],
): ScopeEntry => scopeOf("desk", "Desk", resource, operation, description, apis);

/** Desk's standard CRUD family for one module, named after Zoho's own scope table. */
function crud(resource: string, noun: string, plural: string, base: string, idName: string): ScopeEntry[] {
  const item = `${base}/{${idName}}`;
  return [
    s(resource, "ALL", `Every operation on ${plural}.`, [
      api(`List ${plural}`, "GET", base),
      api(`Create a ${noun}`, "POST", base),
      api(`Update a ${noun}`, "PATCH", item),
      api(`Move ${plural} to trash`, "POST", `${base}/moveToTrash`),
    ]),
    s(resource, "READ", `Read ${plural}.`, [
      api(`List ${plural}`, "GET", base),
      api(`Get a ${noun}`, "GET", item),
    ]),
    s(resource, "WRITE", `Create, update and delete ${plural} (Desk's combined write).`, [
      api(`Create a ${noun}`, "POST", base),
      api(`Update a ${noun}`, "PATCH", item),
      api(`Move ${plural} to trash`, "POST", `${base}/moveToTrash`),
    ]),
    s(resource, "CREATE", `Create ${plural}.`, [api(`Create a ${noun}`, "POST", base)]),
    s(resource, "UPDATE", `Update ${plural}.`, [api(`Update a ${noun}`, "PATCH", item)]),
    s(resource, "DELETE", `Delete ${plural}.`, [api(`Move ${plural} to trash`, "POST", `${base}/moveToTrash`)]),
  ];
}

export const DESK: ServiceEntry = {
  id: "desk",
  name: "Zoho Desk",
  scopePrefix: "Desk",
  description: "Help desk: tickets, contacts, tasks, knowledge base articles.",
  discovery: {
    description:
      "A Zoho user can belong to several Desk organisations. The console lists them with the new " +
      "token and binds one; every later Desk call carries its id in the `orgId` header.",
    base: "desk",
    method: "GET",
    path: "/api/v1/organizations",
    scope: "Desk.basic.READ",
    purpose: "choose a Desk organisation",
  },
  scopes: [
    ...crud("tickets", "ticket", "tickets", "/api/v1/tickets", "ticketId"),
    ...crud("contacts", "contact", "contacts", "/api/v1/contacts", "contactId"),
    ...crud("tasks", "task", "tasks", "/api/v1/tasks", "taskId"),
    s("basic", "READ", "Read organisations, departments and agents (needed to discover organisations).", [
      api("List organizations", "GET", "/api/v1/organizations"),
      api("List departments", "GET", "/api/v1/departments"),
      api("List agents", "GET", "/api/v1/agents"),
    ]),
    s("basic", "CREATE", "Create basic records such as file uploads.", [
      api("Upload a file", "POST", "/api/v1/uploads"),
    ]),
    s("settings", "ALL", "Every operation on settings (layouts, fields, business hours…).", [
      api("List layouts", "GET", "/api/v1/layouts"),
      api("Create a layout", "POST", "/api/v1/layouts"),
    ]),
    s("settings", "READ", "Read settings such as layouts and field definitions.", [
      api("List layouts", "GET", "/api/v1/layouts"),
      api("List organization fields", "GET", "/api/v1/organizationFields"),
    ]),
    s("settings", "WRITE", "Create, update and delete settings.", [
      api("Create a layout", "POST", "/api/v1/layouts"),
      api("Update a layout", "PATCH", "/api/v1/layouts/{layoutId}"),
    ]),
    s("settings", "CREATE", "Create settings.", [api("Create a layout", "POST", "/api/v1/layouts")]),
    s("settings", "UPDATE", "Update settings.", [api("Update a layout", "PATCH", "/api/v1/layouts/{layoutId}")]),
    s("settings", "DELETE", "Delete settings.", [api("Delete a layout", "DELETE", "/api/v1/layouts/{layoutId}")]),
    s("search", "READ", "Search across modules.", [
      api("Search all modules", "GET", "/api/v1/search"),
      api("Search tickets", "GET", "/api/v1/tickets/search"),
    ]),
    s("events", "ALL", "Subscribe to Desk events through webhooks.", [
      api("List webhooks", "GET", "/api/v1/webhooks"),
      api("Create a webhook", "POST", "/api/v1/webhooks"),
      api("Delete a webhook", "DELETE", "/api/v1/webhooks/{webhookId}"),
    ]),
    s("articles", "READ", "Read knowledge base articles.", [
      api("List articles", "GET", "/api/v1/articles"),
      api("Get an article", "GET", "/api/v1/articles/{articleId}"),
    ]),
    s("articles", "CREATE", "Create knowledge base articles.", [api("Create an article", "POST", "/api/v1/articles")]),
    s("articles", "UPDATE", "Update knowledge base articles.", [
      api("Update an article", "PATCH", "/api/v1/articles/{articleId}"),
    ]),
    s("articles", "DELETE", "Delete knowledge base articles.", [
      api("Move articles to trash", "POST", "/api/v1/articles/moveToTrash"),
    ]),
  ],
};
