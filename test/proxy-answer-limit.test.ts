/**
 * The proxy's limit on Zoho's answers (CONSOLE_PROXY_MAX_RESPONSE_BYTES): an answer that declares
 * its length within the limit passes on as it came; one without a declared length is counted as
 * it streams, and fails once it passes the limit.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SEED_ORGS } from "@/sandbox/seed";
import { ctx, makeKey as makeKeyAs, req } from "@/test/api-calls";
import { startSandboxHarness } from "@/test/sandbox-harness";

const MAX = 2048;
vi.hoisted(() => {
  process.env.CONSOLE_PROXY_MAX_RESPONSE_BYTES = "2048";
});

const h = await startSandboxHarness();
const proxyRoute = await import("@/app/api/v1/connections/[id]/proxy/[service]/[...path]/route");
afterAll(() => h.close());
beforeEach(() => h.sandbox.admin("DELETE", "faults"));

const admin = { type: "user" as const, id: h.admin.id, label: h.admin.email };
const binding = { desk: { orgId: SEED_ORGS.deskZylkerSupport, name: "Zylker Support" } };
const scopes = ["Desk.tickets.ALL", "AaaServer.profile.READ"];
const tickets = (id: number, key: string) => proxyRoute.GET(req(`/api/v1/connections/${id}/proxy/desk/api/v1/tickets`, key), ctx({ id: String(id), service: "desk", path: ["api", "v1", "tickets"] }));
/** Desk's next answer: HTTP 200 with `body`, sent without a Content-Length (chunked). */
const nextAnswer = (body: string) => h.sandbox.admin("POST", "faults", { api: { delayMs: 0, status: 200, body, count: 1 } });

describe("the proxy's answer limit", () => {
  it("passes an answer with a declared length within the limit on whole, length included", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKeyAs(admin, { permissions: ["proxy"] });
    const res = await tickets(id, key);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text).data.length).toBeGreaterThan(0);
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
  });

  it("streams an answer of unknown length within the limit whole, and fails one beyond it", async () => {
    const id = await h.connect({ scopes, binding });
    const { key } = await makeKeyAs(admin, { permissions: ["proxy"] });
    const small = JSON.stringify({ data: "x".repeat(MAX - 20) });
    await nextAnswer(small);
    const ok = await tickets(id, key);
    expect(ok.headers.get("content-length")).toBeNull();
    expect(await ok.text()).toBe(small);

    await nextAnswer(JSON.stringify({ data: "x".repeat(MAX * 4) }));
    const big = await tickets(id, key);
    expect(big.status).toBe(200);
    await expect(big.text()).rejects.toThrow();
  });
});
