import { describe, expect, it } from "vitest";
import { isLoopbackRequest } from "./peer-address";
import { clientIp, PEER_HEADER } from "./request-ip";

const h = (xff?: string) => new Headers(xff ? { "x-forwarded-for": xff } : {});

describe("client address", () => {
  it("ignores X-Forwarded-For unless proxies are trusted, and takes the socket's peer instead", () => {
    expect(clientIp(h("203.0.113.9"), 0)).toBeNull();
    const stamped = new Headers({ "x-forwarded-for": "203.0.113.9", [PEER_HEADER]: "198.51.100.7" });
    expect(clientIp(stamped, 0)).toBe("198.51.100.7");
    expect(clientIp(new Headers({ [PEER_HEADER]: "<script>" }), 0)).toBeNull();
  });

  it("takes the address the outermost trusted proxy appended, not what the client claims", () => {
    expect(clientIp(h("1.1.1.1, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientIp(h("1.1.1.1, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    expect(clientIp(h("203.0.113.9"), 3)).toBe("203.0.113.9");
  });

  it("believes no X-Real-IP a client sends when no trusted proxy appended X-Forwarded-For", () => {
    const realIp = new Headers({ "x-real-ip": "127.0.0.1", [PEER_HEADER]: "198.51.100.7" });
    expect(clientIp(realIp, 1)).toBeNull();
    expect(isLoopbackRequest(realIp, 1)).toBe(false);
    expect(clientIp(new Headers({ "x-real-ip": "127.0.0.1", "x-forwarded-for": "203.0.113.9" }), 1)).toBe("203.0.113.9");
  });

  it("refuses values that are not addresses", () => {
    expect(clientIp(h("<script>"), 1)).toBeNull();
    expect(clientIp(h("1".repeat(80)), 1)).toBeNull();
  });
});
