import { api, scopeOf, type ScopeEntry, type ServiceEntry } from "./types";

const s = (
  resource: string,
  operation: ScopeEntry["operation"],
  description: string,
  apis: ScopeEntry["apis"] = [],
): ScopeEntry => scopeOf("assist", "ZohoAssist", resource, operation, description, apis);

export const ASSIST: ServiceEntry = {
  id: "assist",
  name: "Zoho Assist",
  scopePrefix: "ZohoAssist",
  description: "Remote support and unattended access to computers.",
  discovery: {
    description:
      "An Assist token is bound at consent to one organisation of one environment (Production, " +
      "Sandbox or Developer); Zoho asks the user when there are several. The console reads that " +
      "organisation and its departments from the user endpoint; device calls need a department id " +
      "in the `x-com-zoho-assist-department-id` header.",
    base: "assist",
    method: "GET",
    path: "/api/v2/user",
    scope: "ZohoAssist.userapi.READ",
    purpose: "read the Assist organisation and its departments",
  },
  scopes: [
    s("userapi", "READ", "Know who you are on Zoho Assist: user, organisation and departments.", [
      api("Get user details", "GET", "/api/v2/user"),
    ]),
    s("sessionapi", "CREATE", "Create remote support sessions.", [
      api("Create a remote support session", "POST", "/api/v2/session"),
    ]),
    s("unattended.device", "CREATE", "Start unattended remote sessions.", [
      api("Start an unattended session", "POST", "/api/v2/session/unattended"),
    ]),
    s("unattended.computer", "READ", "View unattended computers.", [
      api("List unattended computers", "GET", "/api/v2/devices"),
      api("Get device details", "GET", "/api/v2/devices/{resource_id}"),
    ]),
    s("unattended.computer", "UPDATE", "Update unattended computers.", [
      api("Update an unattended computer", "PUT", "/api/v2/devices/{resource_id}"),
    ]),
    s("unattended.computer", "DELETE", "Delete unattended computers.", [
      api("Delete an unattended computer", "DELETE", "/api/v2/devices/{resource_id}"),
    ]),
    s("unattended.group", "READ", "View groups of unattended computers.", [
      api("List computer groups", "GET", "/api/v2/groups"),
    ]),
    s("unattended.group", "CREATE", "Create groups of unattended computers.", [
      api("Create a computer group", "POST", "/api/v2/groups"),
    ]),
    s("unattended.group", "UPDATE", "Update groups of unattended computers.", [
      api("Update a computer group", "PUT", "/api/v2/groups/{group_id}"),
    ]),
    s("unattended.group", "DELETE", "Delete groups of unattended computers.", [
      api("Delete a computer group", "DELETE", "/api/v2/groups/{group_id}"),
    ]),
    s("reportapi", "READ", "View remote support and unattended session reports.", [
      api("Session reports", "GET", "/api/v2/reports"),
    ]),
  ],
};
