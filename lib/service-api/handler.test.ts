// proxy.ts does not run for /api/v1, so the API frame itself tells browsers to stay on https.
import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ CONSOLE_PUBLIC_URL: "https://console.example.com" });
const tokenRoute = await import("@/app/api/v1/connections/[id]/token/route");
const listRoute = await import("@/app/api/v1/connections/route");
const openApiRoute = await import("@/app/api/v1/openapi.json/route");
afterAll(() => tmp.cleanup());

describe("the /api/v1 frame behind https", () => {
  it("sends HSTS with every answer, refusals included", async () => {
    const refused = await tokenRoute.GET(new Request("https://console.example.com/api/v1/connections/1/token"), { params: Promise.resolve({ id: "1" }) });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(refused.headers.get("x-request-id")).toBeTruthy();
    const unknown = await listRoute.GET(
      new Request("https://console.example.com/api/v1/connections", { headers: { authorization: `Bearer zoc_${"A".repeat(43)}` } }),
      { params: Promise.resolve({}) },
    );
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("strict-transport-security")).toMatch(/^max-age=31536000/);
    // The public OpenAPI document too, which answers without the frame.
    const doc = openApiRoute.GET();
    expect(doc.status).toBe(200);
    expect(doc.headers.get("strict-transport-security")).toMatch(/^max-age=31536000/);
  });
});
