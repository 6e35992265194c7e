// What a key may do, with the words the console shows for it. No zod here: the key form in the
// browser imports this, and should not carry the validation library for three labels.
import { API_KEY_PERMISSIONS, type ApiKeyPermission } from "@/db/enums";

export { API_KEY_PERMISSIONS, type ApiKeyPermission };

export const PERMISSION_LABELS: Record<ApiKeyPermission, { label: string; description: string }> = {
  read: { label: "Read connections", description: "List connections and read their metadata, status and organisation binding." },
  token: { label: "Get access tokens", description: "Fetch a valid access token, refreshed first when it is about to expire." },
  proxy: { label: "Call Zoho through the console", description: "Have the console make Zoho API calls with the token and organisation injected." },
  metrics: { label: "Read metrics", description: "Scrape the console's Prometheus metrics at /api/metrics. Not tied to any connection." },
};

/** A key that may only read metrics uses no connection, so it is given none. */
export const usesConnections = (permissions: readonly ApiKeyPermission[]): boolean => permissions.some((p) => p !== "metrics");
