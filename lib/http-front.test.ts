import http from "node:http";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installHttpFront } from "./http-front";
import { redirectLog } from "./log";

// A stand-in for Next's listener behind the front: it answers 200 with what it was asked.
let reached: string[] = [];
const server = http.createServer((req, res) => {
  reached.push(`${req.method} ${req.url}`);
  res.end("next");
});
let port = 0;
const lines: string[] = [];
let restoreLog: () => void;

beforeAll(async () => {
  installHttpFront();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as { port: number }).port;
  restoreLog = redirectLog(new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).split("\n").filter(Boolean)), done()) }), "info");
});
afterAll(() => {
  restoreLog();
  server.close();
});

// node:http rather than fetch, which refuses to send TRACE.
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const action = (origin: string | undefined, extra: Record<string, string> = {}) =>
  send("POST", "/settings/users", { "next-action": "00aa", "content-type": "text/plain;charset=UTF-8", ...(origin ? { origin } : {}), ...extra }, "[]");

describe("the HTTP front", () => {
  it("answers TRACE with 405 and a JSON error, without reaching Next", async () => {
    reached = [];
    lines.length = 0;
    for (const path of ["/", "/api/v1/connections"]) {
      const res = await send("TRACE", path);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
      expect(JSON.parse(res.body)).toEqual({ error: { code: "method_not_allowed", message: "TRACE is not supported." } });
    }
    expect(reached).toEqual([]);
    // One JSON line per refusal.
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { component: "http", event: "http.refused", method: "TRACE", status: 405, reason: "method" },
      { component: "http", event: "http.refused", method: "TRACE", status: 405, reason: "method" },
    ]);
  });

  it("answers a path whose percent-encoding does not decode with 400, on pages and /api/v1 alike", async () => {
    reached = [];
    for (const path of ["/connections/%E0%A4%A", "/api/v1/connections/%E0%A4%A", "/connections/%FF", "/c/%C0%AF/x?q=1"]) {
      const res = await send("GET", path);
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body).error.code).toBe("bad_request");
    }
    expect(reached).toEqual([]);
    // A malformed query string is Next's to read leniently; good escapes pass.
    expect((await send("GET", "/connections?q=%E0%A4%A")).status).toBe(200);
    expect((await send("GET", "/connections/a%20b%E0%A4%A4")).status).toBe(200);
  });

  it("refuses a server action from another origin with 403, as Next would refuse it, and lets same-origin ones through", async () => {
    reached = [];
    lines.length = 0;
    for (const origin of ["http://evil.example", "null", "not a url"]) expect((await action(origin)).status, origin).toBe(403);
    expect((await send("POST", "/clients", { origin: "http://evil.example", "content-type": "multipart/form-data; boundary=x" }, "--x--")).status).toBe(403);
    expect(reached).toEqual([]);
    expect(JSON.parse(lines[0])).toMatchObject({ level: "warn", event: "http.refused", status: 403, reason: "origin", origin: "http://evil.example" });
    expect(lines[0]).not.toContain("/settings/users");

    // What Next accepts passes: its own origin, via Host or the first X-Forwarded-Host; none at all;
    // url-encoded posts (Next turns those away itself); route handlers; other methods.
    expect((await action(`http://127.0.0.1:${port}`)).status).toBe(200);
    expect((await action("https://console.example.com", { "x-forwarded-host": "console.example.com, proxy.internal" })).status).toBe(200);
    expect((await action(undefined)).status).toBe(200);
    expect((await send("POST", "/login", { origin: "http://evil.example", "content-type": "application/x-www-form-urlencoded" }, "a=1")).status).toBe(200);
    expect((await send("POST", "/api/auth/signout", { origin: "http://evil.example", "next-action": "x" }, "")).status).toBe(200);
    expect((await send("GET", "/login", { origin: "http://evil.example", "next-action": "x" })).status).toBe(200);
    expect(reached).toHaveLength(6);
  });
});
