/** The token client against a real local HTTP server, with the real fetch. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exchangeCode } from "./token-client";
import { isZohoError } from "./zoho-error";

const CLIENT = { clientId: "1000.R2Z0WWOLFVMR287126QED3B4JWQ5EN", clientSecret: "39c689de68c712fa5f1f06c3b1319ab98f59fa921b" };
const CODE = "1000.fadbca4c2be2f08b0ce82a54f6344313.ba532585103af6f12a0f160";

let server: Server;
let base = "";
const seen: { method?: string; url?: string; contentType?: string; body: string }[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method, url: req.url, contentType: req.headers["content-type"], body });
    if (req.url?.startsWith("/slow/")) return; // never answers
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ access_token: "1000.aa.bb", api_domain: "https://www.zohoapis.com", token_type: "Bearer", expires_in: 3600 }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function errorOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isZohoError(e)) return e;
    throw e;
  }
  throw new Error("expected a ZohoError");
}

describe("token client over real HTTP", () => {
  it("sends a form-encoded POST the server can read", async () => {
    const t = await exchangeCode({ accountsServer: `${base}/us/accounts`, ...CLIENT, code: CODE, timeoutMs: 2000 });
    expect(t.accessToken).toBe("1000.aa.bb");
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: "POST", url: "/us/accounts/oauth/v2/token", contentType: "application/x-www-form-urlencoded" });
    expect(new URLSearchParams(last.body).get("code")).toBe(CODE);
  });

  it("times out a server that does not answer", async () => {
    const started = Date.now();
    const e = await errorOf(exchangeCode({ accountsServer: `${base}/slow`, ...CLIENT, code: CODE, timeoutMs: 150 }));
    expect(e).toMatchObject({ kind: "timeout", transient: true });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(e.message).not.toContain(CODE);
  });

  it("reports a refused connection as a network error", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = await errorOf(exchangeCode({ accountsServer: `http://127.0.0.1:${port}`, ...CLIENT, code: CODE, timeoutMs: 2000 }));
    expect(e).toMatchObject({ kind: "network", transient: true });
    expect(e.userMessage).toMatch(/ECONNREFUSED/);
  });

  it("passes a caller's abort through instead of calling it a timeout", async () => {
    const ctrl = new AbortController();
    const p = exchangeCode({ accountsServer: `${base}/slow`, ...CLIENT, code: CODE, timeoutMs: 5000, signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 50);
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
  });
});
