import "server-only";
import { config } from "@/lib/config";
import { isDcLocation, type DcLocation } from "@/lib/zoho";

// The sandbox pre-registers one server-based client with a fixed id (sandbox/README.md). The
// console learns its secret the way a person would, by asking the sandbox — over HTTP only.
export const SANDBOX_DEMO_CLIENT_ID = "1000.SANDBOXDEMOCLIENT0000000000001";
export const SANDBOX_DEMO_CLIENT_NAME = "Sandbox demo client";

interface SandboxDemoClient {
  clientId: string;
  clientSecret: string;
  homeDc: DcLocation;
  enabledDcs: DcLocation[];
  redirectUris: string[];
}

export async function fetchSandboxDemoClient(): Promise<SandboxDemoClient> {
  const base = config().ZOHO_SANDBOX_URL;
  if (!base) throw new Error("The Zoho sandbox is not configured (ZOHO_SANDBOX_URL is empty).");
  let res: Response;
  try {
    res = await fetch(`${base}/_sandbox/clients/${SANDBOX_DEMO_CLIENT_ID}`, {
      cache: "no-store",
      signal: AbortSignal.timeout(config().ZOHO_HTTP_TIMEOUT_MS),
    });
  } catch {
    throw new Error(`The Zoho sandbox at ${base} does not answer. Start it with "npm run sandbox" and try again.`);
  }
  if (!res.ok) throw new Error(`The Zoho sandbox at ${base} has no demo client (HTTP ${res.status}). Reset the sandbox and try again.`);
  const body = (await res.json()) as Partial<SandboxDemoClient>;
  if (typeof body.clientSecret !== "string" || !isDcLocation(body.homeDc)) {
    throw new Error(`The Zoho sandbox at ${base} answered with an unexpected demo client. Reset it (POST /_sandbox/reset or restart npm run sandbox) and try again, or register the client by hand.`);
  }
  return {
    clientId: SANDBOX_DEMO_CLIENT_ID,
    clientSecret: body.clientSecret,
    homeDc: body.homeDc,
    enabledDcs: (body.enabledDcs ?? []).filter(isDcLocation),
    redirectUris: Array.isArray(body.redirectUris) ? body.redirectUris.map(String) : [],
  };
}
