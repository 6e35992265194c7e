/**
 * The connect-link pages serve people with no console account: the proxy must let them through
 * without a session, and their responses must carry no-referrer, noindex and no-framing headers.
 */
import { describe, expect, it } from "vitest";
import { isPublicPath } from "@/auth.config";
import nextConfig from "@/next.config";

const token = "A".repeat(43);

/** Next applies every matching rule in order; a later one's value for a key replaces an earlier one's. */
async function headersFor(path: string): Promise<Record<string, string>> {
  const rules = (await nextConfig.headers!()) ?? [];
  const out: Record<string, string> = {};
  for (const rule of rules) {
    const pattern = new RegExp(`^${rule.source.replace(/:path\*/g, ".*")}$`);
    if (!pattern.test(path)) continue;
    for (const h of rule.headers) out[h.key.toLowerCase()] = h.value;
  }
  return out;
}

describe("the public connect-link pages", () => {
  it("are reachable without a session, and only they (not /connections)", () => {
    expect(isPublicPath(`/connect/${token}`)).toBe(true);
    expect(isPublicPath(`/connect/${token}/continue`)).toBe(true);
    expect(isPublicPath("/connections")).toBe(false);
    expect(isPublicPath("/connections/4")).toBe(false);
  });

  it("send no referrer, ask not to be indexed and refuse to be framed", async () => {
    const h = await headersFor(`/connect/${token}`);
    expect(h["referrer-policy"]).toBe("no-referrer");
    expect(h["x-robots-tag"]).toBe("noindex, nofollow");
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["x-frame-options"]).toBe("DENY");
    // The console's own pages keep their policy.
    expect((await headersFor("/connections"))["referrer-policy"]).toBe("same-origin");
  });
});
