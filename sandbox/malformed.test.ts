// Hostile and broken requests get Zoho-style answers; the server never crashes or leaks a stack.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SINGLE_USER } from "./seed";
import { REDIRECT_URI, exchange, startTestSandbox, tokenCall, type TestSandbox } from "./test-support";

const STACK = /at [\w.<>]+ \(|node:internal|\.ts:\d+:\d+/;

describe("malformed requests", () => {
  let sb: TestSandbox;
  const tokenUrl = () => `${sb.url}/us/accounts/oauth/v2/token`;

  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(() => sb.close());

  async function alive(): Promise<void> {
    const res = await fetch(`${sb.url}/us/accounts/oauth/serverinfo`);
    expect(res.status).toBe(200);
  }

  it("answers junk token bodies with Zoho errors", async () => {
    const bodies: Array<[string, string]> = [
      ["application/x-www-form-urlencoded", "%%%&&&==%zz"],
      ["application/json", JSON.stringify({ grant_type: "authorization_code", client_id: DEMO_CLIENT_ID })],
      ["multipart/form-data", "no boundary here"],
      ["multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data\r\n\r\nbroken"],
      ["text/plain", "\u0000\u0001\u0002"],
    ];
    for (const [type, body] of bodies) {
      const res = await fetch(tokenUrl(), { method: "POST", headers: { "content-type": type }, body });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: "invalid_client" });
      expect(text).not.toMatch(STACK);
    }
    await alive();
  });

  it("refuses bodies above the cap with 413 and keeps serving", async () => {
    const huge = `grant_type=authorization_code&code=${"a".repeat(200_000)}`;
    const res = await fetch(tokenUrl(), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: huge });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
    const consent = await fetch(`${sb.url}/us/accounts/oauth/v2/auth`, { method: "POST", body: new URLSearchParams({ state: "x".repeat(100_000) }) });
    expect(consent.status).toBe(413);
    const admin = await fetch(`${sb.url}/_sandbox/users`, { method: "POST", body: JSON.stringify({ email: "x".repeat(100_000) }) });
    expect(admin.status).toBe(400);
    await alive();
  });

  it("treats huge parameter values as just wrong", async () => {
    const long = "Z".repeat(20_000);
    expect((await tokenCall(sb.url, { grant_type: "refresh_token", refresh_token: long, client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET })).body).toEqual({ error: "invalid_code" });
    expect((await tokenCall(sb.url, { client_id: long, client_secret: long })).body).toEqual({ error: "invalid_client" });
    expect((await exchange(sb.url, long, "us", { redirect_uri: long })).body).toEqual({ error: "invalid_code" });
    const consent = await fetch(`${sb.url}/us/accounts/oauth/v2/auth?response_type=code&client_id=${DEMO_CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&scope=${"Desk.tickets.READ,".repeat(300)}`);
    expect(consent.status).toBe(400);
    expect(await consent.text()).toContain("ERROR_invalid_scope");
  });

  it("survives broken URLs, odd methods, bad headers and unknown paths", async () => {
    const checks: Array<[string, RequestInit, number]> = [
      [`${sb.url}/us/accounts/%E0%A4%A`, {}, 404],
      [`${sb.url}/xx/accounts/oauth/v2/token`, {}, 404],
      [`${sb.url}/us/accounts/oauth/v2/token`, { method: "DELETE" }, 200],
      [`${sb.url}/us/accounts/oauth/v2/token/revoke`, { method: "GET" }, 405],
      [`${sb.url}/us/desk/api/v1/organizations`, { headers: { authorization: "Zoho-oauthtoken" } }, 401],
      [`${sb.url}/us/desk/api/v1/organizations`, { headers: { authorization: "Basic !!!" } }, 401],
      [`${sb.url}/us/accounts/oauth/v2/token`, { method: "POST", headers: { authorization: "Basic %%%%" } }, 200],
      [`${sb.url}/us/salesiq/api/v2/%ZZ/chats`, {}, 200],
      [`${sb.url}/console/clients/%00`, {}, 302],
    ];
    for (const [url, init, status] of checks) {
      const res = await fetch(url, { redirect: "manual", ...init });
      expect(res.status, url).toBe(status);
      expect(await res.text()).not.toMatch(STACK);
    }
    await alive();
  });

  it("survives a raw socket sending garbage and a truncated body", async () => {
    const { port } = new URL(sb.url);
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        socket.write("THIS IS NOT HTTP\r\n\r\n");
      });
      socket.on("data", () => socket.destroy());
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
    });
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        socket.write("POST /us/accounts/oauth/v2/token HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\ngrant_type=auth");
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
    });
    await alive();
  });

  it("guards the sign-in return path against open redirects", async () => {
    const body = new URLSearchParams({ email: SINGLE_USER.email, password: "sandbox", serviceurl: "//evil.example/steal" });
    const res = await fetch(`${sb.url}/us/accounts/signin?serviceurl=${encodeURIComponent("https://evil.example")}`, { method: "POST", body, redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
  });
});
