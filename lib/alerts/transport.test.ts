import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";

// Names under .test resolve to whatever `fakeDns` says, so DNS answers can be chosen per test.
const fakeDns = vi.hoisted(() => new Map<string, { address: string; family: number }[]>());
vi.mock("node:dns", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:dns")>();
  const lookup = ((host: string, options: object, cb: (...args: unknown[]) => void) => {
    const answer = fakeDns.get(host);
    if (!answer) return actual.lookup(host, options as never, cb as never);
    process.nextTick(() => cb(null, answer));
  }) as unknown as typeof actual.lookup;
  return { ...actual, lookup, default: { ...actual, lookup } };
});
// Pass-through spy: lets a test look at the options postDelivery hands to https.request.
vi.mock("node:https", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:https")>();
  const request = vi.fn(actual.request);
  return { ...actual, request, default: { ...actual, request } };
});

const https = (await import("node:https")).default;
const { checkDestinationAddress, checkDestinationUrl, postDelivery } = await import("@/lib/alerts/transport");

type Receiver = { port: number; url: string; requests: { headers: http.IncomingHttpHeaders; body: string }[]; connections: number };
const servers: http.Server[] = [];

async function receiver(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Receiver> {
  const server = http.createServer();
  const r: Receiver = { port: 0, url: "", requests: [], connections: 0 };
  server.on("connection", () => r.connections++);
  server.on("request", (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      r.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      handle(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  r.port = (server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${r.port}`;
  return r;
}

afterEach(async () => {
  fakeDns.clear();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const LOCAL = ["127.0.0.1"];
const post = (url: string, allowedHosts: readonly string[] = LOCAL, extra: object = {}) =>
  postDelivery({ url, body: '{"hello":"world"}', headers: { "webhook-id": "msg_1" }, allowedHosts, ...extra });

describe("postDelivery against local receivers", () => {
  it("delivers a 200, sends body and headers, and keeps the answer's head", async () => {
    const r = await receiver((_, res) => res.end("ok\u0007 thanks\r\n\tdone"));
    const out = await post(`${r.url}/hook`);
    expect(out).toMatchObject({ kind: "delivered", status: 200, responseHead: "ok thanks\n\tdone" });
    expect(out.latencyMs).toBeGreaterThanOrEqual(0);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0].body).toBe('{"hello":"world"}');
    expect(r.requests[0].headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "zoho-oauth-console-alerts",
      "webhook-id": "msg_1",
    });
  });

  it("keeps a content-type the caller gives", async () => {
    const r = await receiver((_, res) => res.end());
    await postDelivery({ url: r.url, body: "x=1", headers: { "Content-Type": "text/plain" }, allowedHosts: LOCAL });
    expect(r.requests[0].headers["content-type"]).toBe("text/plain");
  });

  it("honours a port-specific allow-list entry and only that port", async () => {
    const r = await receiver((_, res) => res.end());
    expect((await post(r.url, [`127.0.0.1:${r.port}`])).kind).toBe("delivered");
    const other = await post(r.url, [`127.0.0.1:${r.port === 1 ? 2 : r.port - 1}`]);
    expect(other).toMatchObject({ kind: "final", error: expect.stringMatching(/must use https/) });
    expect(r.requests).toHaveLength(1);
  });

  it("retries a 500 and keeps its head", async () => {
    const r = await receiver((_, res) => res.writeHead(500).end("boom"));
    expect(await post(r.url)).toMatchObject({ kind: "retry", status: 500, responseHead: "boom" });
  });

  it("retries a 429 no sooner than Retry-After (seconds)", async () => {
    const r = await receiver((_, res) => res.writeHead(429, { "retry-after": "2" }).end());
    expect(await post(r.url)).toMatchObject({ kind: "retry", status: 429, retryAfterMs: 2000 });
  });

  it("reads Retry-After as an HTTP-date on a 503", async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const r = await receiver((_, res) => res.writeHead(503, { "retry-after": at }).end());
    const out = await post(r.url);
    expect(out.kind).toBe("retry");
    const ms = out.kind === "retry" ? out.retryAfterMs : undefined;
    expect(ms).toBeGreaterThan(27_000);
    expect(ms).toBeLessThanOrEqual(30_000);
  });

  it("gives up on a 404", async () => {
    const r = await receiver((_, res) => res.writeHead(404).end("no such hook"));
    expect(await post(r.url)).toMatchObject({ kind: "final", status: 404, responseHead: "no such hook" });
  });

  it("does not follow a redirect", async () => {
    const target = await receiver((_, res) => res.end("landed"));
    const r = await receiver((_, res) => res.writeHead(302, { location: `${target.url}/landing` }).end());
    const out = await post(r.url);
    expect(out).toMatchObject({ kind: "final", status: 302 });
    expect(out.kind === "final" && out.error).toBe(
      `the destination answered with a redirect (HTTP 302 to ${target.url}/landing); redirects are not followed — use the final URL`,
    );
    expect(target.connections).toBe(0);
  });

  it("stops reading after 64 kB and still counts the delivery", async () => {
    let clientLeft = false;
    // Promises 10 MB, sends 100 kB and then stalls: only a reader that stops early gets an answer.
    const r = await receiver((req, res) => {
      res.writeHead(200, { "content-length": String(10 * 1024 * 1024) });
      res.write("A".repeat(100 * 1024));
      req.socket.on("close", () => (clientLeft = true));
    });
    const out = await post(r.url, LOCAL, { timeoutMs: 5_000 });
    expect(out).toMatchObject({ kind: "delivered", status: 200, responseHead: "A".repeat(512) });
    expect(out.latencyMs).toBeLessThan(4_000);
    await vi.waitFor(() => expect(clientLeft).toBe(true));
  });

  it("retries when the receiver never answers", async () => {
    const r = await receiver(() => {});
    const out = await post(r.url, LOCAL, { timeoutMs: 300 });
    expect(out).toMatchObject({ kind: "retry", error: "timed out after 0.3 s" });
    expect(out.latencyMs).toBeGreaterThanOrEqual(290);
    expect(out.latencyMs).toBeLessThan(2_000);
    expect(r.requests).toHaveLength(1);
  });

  it("retries when the connection is refused", async () => {
    const r = await receiver(() => {});
    const s = servers.pop()!;
    await new Promise((resolve) => s.close(resolve));
    expect(await post(r.url)).toMatchObject({ kind: "retry", error: `connection refused by 127.0.0.1:${r.port}` });
  });

  it("refuses a header that would break the request instead of throwing", async () => {
    const r = await receiver((_, res) => res.end());
    const out = await postDelivery({ url: r.url, body: "{}", headers: { "x-bad": "a\r\nb" }, allowedHosts: LOCAL });
    expect(out.kind).toBe("final");
    expect(r.connections).toBe(0);
  });
});

describe("postDelivery refuses private destinations", () => {
  it("refuses 127.0.0.1 without the allow-list, before connecting", async () => {
    const r = await receiver((_, res) => res.end());
    expect(await post(r.url, [])).toMatchObject({ kind: "final", error: expect.stringMatching(/must use https/) });
    const out = await post(`https://127.0.0.1:${r.port}/hook`, []);
    expect(out).toMatchObject({
      kind: "final",
      error: "refused: 127.0.0.1 is a loopback address; alerts may only go to such hosts when CONSOLE_ALERTS_ALLOWED_HOSTS names them",
    });
    expect(r.connections).toBe(0);
  });

  it("refuses the cloud metadata address without trying to connect", async () => {
    const out = await post("https://169.254.169.254/latest/meta-data/", [], { timeoutMs: 60_000 });
    expect(out).toMatchObject({ kind: "final", error: expect.stringMatching(/^refused: 169\.254\.169\.254 is a link-local address/) });
    expect(out.latencyMs).toBeLessThan(100);
  });

  it("refuses an IPv4-mapped IPv6 loopback literal", async () => {
    const out = await post("https://[::ffff:127.0.0.1]:9/", []);
    expect(out).toMatchObject({ kind: "final", error: expect.stringMatching(/is a loopback address/) });
  });

  it("refuses localhost (resolved to 127.0.0.1) unless it is allowed", async () => {
    const r = await receiver((_, res) => res.end("hi"));
    const out = await post(`https://localhost:${r.port}/`, []);
    expect(out).toMatchObject({ kind: "final", error: expect.stringMatching(/^refused: localhost resolves to 127\.0\.0\.1, a loopback address/) });
    expect(r.connections).toBe(0);
    expect(await post(`http://localhost:${r.port}/`, ["LOCALHOST"])).toMatchObject({ kind: "delivered", responseHead: "hi" });
  });

  it("checks the address the socket connects to, inside the connection's own look-up", async () => {
    const r = await receiver((_, res) => res.end());
    fakeDns.set("rebind.test", [{ address: "127.0.0.1", family: 4 }]);
    const out = await post(`https://rebind.test:${r.port}/`, []);
    expect(out).toMatchObject({ kind: "final", error: expect.stringMatching(/rebind\.test resolves to 127\.0\.0\.1/) });
    expect(r.connections).toBe(0);
    // The look-up handed to https.request is the guard itself, so a DNS answer that changes
    // between a save-time check and the connection cannot slip through.
    const options = vi.mocked(https.request).mock.calls.at(-1)?.[1] as { lookup?: (...a: unknown[]) => void };
    expect(typeof options.lookup).toBe("function");
    fakeDns.set("rebind.test", [{ address: "93.184.216.34", family: 4 }, { address: "10.1.2.3", family: 4 }]);
    const err = await new Promise((resolve) => options.lookup!("rebind.test", { all: true }, resolve));
    expect(String(err)).toMatch(/10\.1\.2\.3, a private address/);
  });
});

describe("checkDestinationUrl", () => {
  it("accepts https to any host", () => {
    const res = checkDestinationUrl("https://example.com/hook", []);
    expect(res.ok && res.url.href).toBe("https://example.com/hook");
  });

  it.each([
    ["http://example.com/hook", /must use https; plain http is allowed only for hosts named in CONSOLE_ALERTS_ALLOWED_HOSTS/],
    ["ftp://example.com/file", /must use https/],
    ["https://user:pass@example.com/hook", /user name or password/],
    ["https://example.com/hook#frag", /fragment/],
    ["https://exa mple.com/", /spaces/],
    ["not a url", /spaces|not a valid URL/],
    ["example.com/hook", /not a valid URL/],
  ])("rejects %s", (raw, reason) => {
    const res = checkDestinationUrl(raw, []);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.reason).toMatch(reason);
  });

  it("allows http only to allow-listed hosts", () => {
    expect(checkDestinationUrl("http://relay.internal:8080/x", ["relay.internal"]).ok).toBe(true);
    expect(checkDestinationUrl("http://relay.internal:8080/x", ["relay.internal:8080"]).ok).toBe(true);
    expect(checkDestinationUrl("http://relay.internal:8080/x", ["relay.internal:9090"]).ok).toBe(false);
    expect(checkDestinationUrl("http://[::1]:8080/x", ["[::1]:8080"]).ok).toBe(true);
  });
});

describe("checkDestinationAddress", () => {
  it("refuses a host name that resolves to loopback", async () => {
    const res = await checkDestinationAddress(new URL("https://localhost/hook"), []);
    expect(res).toEqual({
      ok: false,
      reason: "refused: localhost resolves to 127.0.0.1, a loopback address; alerts may only go to such hosts when CONSOLE_ALERTS_ALLOWED_HOSTS names them",
    });
    expect(await checkDestinationAddress(new URL("https://localhost/hook"), ["localhost"])).toEqual({ ok: true });
  });

  it("refuses when any one of several addresses is private", async () => {
    fakeDns.set("mixed.test", [{ address: "93.184.216.34", family: 4 }, { address: "fd00::5", family: 6 }]);
    const res = await checkDestinationAddress(new URL("https://mixed.test/"), []);
    expect(!res.ok && res.reason).toMatch(/fd00::5, a private address/);
    fakeDns.set("public.test", [{ address: "93.184.216.34", family: 4 }, { address: "2606:2800:220:1::1", family: 6 }]);
    expect(await checkDestinationAddress(new URL("https://public.test/"), [])).toEqual({ ok: true });
  });

  it.each([
    ["10.0.0.1", "private"], ["172.31.255.255", "private"], ["192.168.1.1", "private"], ["100.64.0.1", "shared (CGNAT)"],
    ["169.254.169.254", "link-local"], ["0.0.0.0", "unspecified"], ["224.0.0.1", "multicast"], ["255.255.255.255", "reserved"],
    ["[::1]", "loopback"], ["[::]", "unspecified"], ["[fc00::1]", "private"], ["[fe80::1]", "link-local"], ["[ff02::1]", "multicast"],
    ["[::ffff:10.0.0.1]", "private"], ["[::ffff:a9fe:a9fe]", "link-local"], ["[64:ff9b::7f00:1]", "loopback"], ["[2002:c0a8:101::]", "private"],
    ["2130706433", "loopback"], ["0x7f.1", "loopback"],
  ])("refuses the literal %s as %s", async (host, label) => {
    const res = await checkDestinationAddress(new URL(`https://${host}/`), []);
    expect(!res.ok && res.reason).toMatch(new RegExp(`an? ${label.replace(/[()]/g, "\\$&")} address`));
  });

  it.each(["93.184.216.34", "172.32.0.1", "100.128.0.1", "[2606:2800:220:1::1]", "[::ffff:93.184.216.34]"])(
    "accepts the public literal %s",
    async (host) => {
      expect(await checkDestinationAddress(new URL(`https://${host}/`), [])).toEqual({ ok: true });
    },
  );

  it("explains a name that does not resolve", async () => {
    const res = await checkDestinationAddress(new URL("https://no-such-host.invalid/"), []);
    expect(!res.ok && res.reason).toMatch(/no-such-host\.invalid could not be resolved/);
  });
});
