import { api, scopeOf, type ServiceEntry } from "./types";

export const PROFILE: ServiceEntry = {
  id: "profile",
  name: "Zoho profile",
  scopePrefix: "AaaServer",
  description:
    "Who consented. The console adds this scope so it learns the Zoho user id, which the " +
    "20-refresh-tokens-per-user budget is counted against.",
  discovery: {
    description: "No organisation: the profile is the Zoho user, read from the accounts server.",
    base: "accounts",
    method: "GET",
    path: "/oauth/user/info",
    scope: "AaaServer.profile.READ",
    purpose: "read the Zoho user",
  },
  scopes: [
    scopeOf("profile", "AaaServer", "profile", "READ", "Read the Zoho user id, e-mail and name of who consented.", [
      api("User info", "GET", "/oauth/user/info"),
    ]),
  ],
};
