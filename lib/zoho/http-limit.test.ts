import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, zohoHttp } from "./http";
import { isZohoError } from "./zoho-error";

/** An answer that never ends, counting how much of it was read. */
function endless() {
  let served = 0;
  let cancelled = false;
  const chunk = new Uint8Array(64 * 1024).fill(32);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      served += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { response: new Response(body, { status: 200, headers: { "content-type": "application/json" } }), stats: () => ({ served, cancelled }) };
}

const request = (fetchImpl: () => Promise<Response>) =>
  zohoHttp({ url: "https://accounts.zoho.com/oauth/v2/token", method: "POST", timeoutMs: 5000, fetchImpl, ctx: { operation: "refresh" } });

describe("zohoHttp's size limit", () => {
  it("stops reading an answer at the limit and cancels the rest", async () => {
    const { response, stats } = endless();
    const error = await request(async () => response).catch((e) => e);
    expect(isZohoError(error) && error.kind).toBe("malformed");
    expect(String(error.userMessage ?? error.message)).toMatch(/too large/);
    expect(stats().cancelled).toBe(true);
    expect(stats().served).toBeLessThan(MAX_BODY_BYTES + 3 * 64 * 1024);
  });

  it("refuses an answer whose declared length is over the limit without reading it", async () => {
    const { response, stats } = endless();
    const declared = new Response(response.body, { headers: { "content-length": String(MAX_BODY_BYTES + 1) } });
    const error = await request(async () => declared).catch((e) => e);
    expect(isZohoError(error) && error.kind).toBe("malformed");
    expect(stats().served).toBeLessThan(3 * 64 * 1024);
  });

  it("reads a normal answer whole", async () => {
    const res = await request(async () => Response.json({ access_token: "1000.a.b", expires_in: 3600 }));
    expect(res.json).toMatchObject({ access_token: "1000.a.b" });
  });
});
