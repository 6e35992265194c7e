/** One real call per bound service, timed: what the Verify button shows. */
import type { DataCentre } from "./data-centres";
import type { HttpOptions } from "./http";
import { ORG_DISCOVERERS, isOrgService } from "./org-discovery";
import type { ServiceId } from "./scope-catalogue";
import { fetchUserInfo } from "./user-info";
import { ZohoError } from "./zoho-error";

interface VerifyOptions extends HttpOptions {
  dc: DataCentre;
  /** The connection's accounts server (for `profile`); defaults to the DC's. */
  accountsServer?: string;
  accessToken: string;
  service: ServiceId;
  /** The bound org (Desk org id, Assist zsoid, SalesIQ screen name): must still be visible. */
  expectedOrgId?: string;
}

type VerifyResult =
  | { service: ServiceId; ok: true; latencyMs: number; summary: string }
  | { service: ServiceId; ok: false; latencyMs: number; error: ZohoError };

export async function verifyService(opts: VerifyOptions): Promise<VerifyResult> {
  const { service } = opts;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const http = { timeoutMs: opts.timeoutMs, fetchImpl: opts.fetchImpl, signal: opts.signal };
  try {
    if (!isOrgService(service)) {
      const user = await fetchUserInfo({
        ...http,
        accountsServer: opts.accountsServer ?? opts.dc.accountsServer,
        accessToken: opts.accessToken,
        location: opts.dc.location,
      });
      return { service, ok: true, latencyMs: elapsed(), summary: `Signed in as ${user.email}` };
    }
    const options = await ORG_DISCOVERERS[service]({
      ...http,
      base: opts.dc.products[service],
      accessToken: opts.accessToken,
      location: opts.dc.location,
      operation: "verify",
    });
    if (opts.expectedOrgId !== undefined && !options.some((o) => o.id === opts.expectedOrgId)) {
      const error = new ZohoError(
        "wrong_org",
        { operation: "verify", location: opts.dc.location, zohoCode: "organisation not visible" },
        "The bound organisation is no longer visible to this token.",
      );
      return { service, ok: false, latencyMs: elapsed(), error };
    }
    const noun = service === "salesiq" ? "portal" : "organisation";
    return { service, ok: true, latencyMs: elapsed(), summary: `${options.length} ${noun}${options.length === 1 ? "" : "s"} visible` };
  } catch (e) {
    if (e instanceof ZohoError) return { service, ok: false, latencyMs: elapsed(), error: e };
    throw e;
  }
}
