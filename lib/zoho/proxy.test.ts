import { describe, expect, it } from "vitest";
import { dataCentre } from "./data-centres";
import {
  boundQuery,
  forwardRequestHeaders,
  injectedHeaders,
  passBackHeaders,
  ProxyPathError,
  proxyBase,
  proxyTargetUrl,
  serviceCallInfo,
} from "./proxy";

const eu = dataCentre("live", "eu");
const ca = dataCentre("live", "ca");

describe("proxyTargetUrl", () => {
  it("puts the path and query under the product's host of the connection's data centre", () => {
    expect(proxyTargetUrl(proxyBase("desk", eu, "https://www.zohoapis.eu"), "api/v1/tickets", "?limit=10").toString()).toBe(
      "https://desk.zoho.eu/api/v1/tickets?limit=10",
    );
    expect(proxyTargetUrl(proxyBase("salesiq", ca, "https://www.zohoapis.ca"), "api/v2/zylker/chats", "").toString()).toBe(
      "https://salesiq.zohocloud.ca/api/v2/zylker/chats",
    );
    expect(proxyTargetUrl(proxyBase("zohoapis", eu, "https://www.zohoapis.eu/"), "crm/v2/Leads", "").toString()).toBe(
      "https://www.zohoapis.eu/crm/v2/Leads",
    );
  });

  it("keeps a sandbox base path and percent-encoded characters as sent", () => {
    const sandbox = dataCentre("sandbox", "us", "http://127.0.0.1:4010");
    expect(proxyTargetUrl(proxyBase("desk", sandbox, ""), "api/v1/tickets/a%20b", "").toString()).toBe(
      "http://127.0.0.1:4010/us/desk/api/v1/tickets/a%20b",
    );
  });

  it.each([
    ["..", "dot-dot"],
    ["api/../../evil", "dot-dot inside"],
    ["api/%2e%2e/x", "encoded dot-dot"],
    ["api/%2E%2e/x", "mixed-case encoded dot-dot"],
    ["./api", "dot"],
    ["api/%2F%2Fevil.example/x", "encoded slash"],
    ["api%5c..%5cx", "encoded backslash"],
    ["api\\..\\x", "backslash"],
    ["/evil.example/x", "leading slash (//host)"],
    ["api//x", "empty segment"],
    ["https:/evil.example", "absolute URL"],
    ["http:%2F%2Fevil.example", "encoded absolute URL"],
    ["javascript:alert(1)", "scheme"],
    ["api/x y", "space"],
    ["api/x#frag", "fragment"],
    ["api/x?y", "raw question mark inside the path"],
    ["", "nothing"],
    ["api/%00", "NUL"],
  ])("refuses %j (%s)", (path) => {
    expect(() => proxyTargetUrl("https://desk.zoho.com", path, "")).toThrow(ProxyPathError);
  });

  it("never leaves the base host, whatever the path", () => {
    for (const path of ["@evil.example/x", "api/@evil.example", "api/x:y@evil.example"]) {
      const url = proxyTargetUrl("https://desk.zoho.com", path, "");
      expect(url.host).toBe("desk.zoho.com");
    }
  });
});

describe("headers", () => {
  it("forwards only content negotiation headers, never the caller's key or cookies", () => {
    const incoming = new Headers({
      authorization: "Bearer zoc_secret",
      cookie: "authjs.session-token=abc",
      "content-type": "application/json",
      accept: "application/json",
      "x-forwarded-for": "10.0.0.1",
      host: "console.example",
      connection: "keep-alive",
      orgId: "999",
    });
    const out = forwardRequestHeaders(incoming);
    expect([...out.keys()].sort()).toEqual(["accept", "content-type"]);
  });

  it("injects the token and the bound organisation, overriding what the caller sent", () => {
    const binding = { desk: { orgId: "7001", name: "Zylker" }, assist: { orgId: "55", name: "Z", departmentId: "900" } };
    expect(injectedHeaders("desk", binding, "1000.abc")).toEqual({ authorization: "Zoho-oauthtoken 1000.abc", orgId: "7001" });
    expect(injectedHeaders("assist", binding, "1000.abc")).toEqual({
      authorization: "Zoho-oauthtoken 1000.abc",
      "x-com-zoho-assist-department-id": "900",
    });
    expect(injectedHeaders("salesiq", binding, "1000.abc")).toEqual({ authorization: "Zoho-oauthtoken 1000.abc" });
  });

  it("passes back only the body's description, its validators and Zoho's throttling headers", () => {
    const upstream = new Headers({
      "content-type": "application/json;charset=UTF-8",
      "set-cookie": "JSESSIONID=1",
      "transfer-encoding": "chunked",
      connection: "close, x-private, x-ratelimit-hop",
      "x-private": "1",
      "x-ratelimit-hop": "1",
      "proxy-connection": "keep-alive",
      "access-control-allow-origin": "*",
      "access-control-allow-credentials": "true",
      location: "https://evil.example/",
      "strict-transport-security": "max-age=1",
      server: "ZGS",
      "x-frame-options": "ALLOWALL",
      "cache-control": "public, max-age=3600",
      "content-encoding": "gzip",
      "content-length": "10",
      etag: '"v1"',
      "last-modified": "Tue, 01 Dec 2026 10:00:00 GMT",
      "content-disposition": 'attachment; filename="report.csv"',
      "retry-after": "30",
      "x-ratelimit-remaining": "99",
      "X-RATELIMIT-LIMIT": "100",
      "x-rate-limit-remaining-v3": "7",
    });
    expect(Object.fromEntries(passBackHeaders(upstream))).toEqual({
      "content-type": "application/json;charset=UTF-8",
      etag: '"v1"',
      "last-modified": "Tue, 01 Dec 2026 10:00:00 GMT",
      "content-disposition": 'attachment; filename="report.csv"',
      "retry-after": "30",
      "x-ratelimit-remaining": "99",
      "x-ratelimit-limit": "100",
      "x-rate-limit-remaining-v3": "7",
    });
  });

  it("passes a length back only for a body fetch did not decode", () => {
    expect(passBackHeaders(new Headers({ "content-length": "10", "content-encoding": "br" })).get("content-length")).toBeNull();
    expect(passBackHeaders(new Headers({ "content-length": "10" })).get("content-length")).toBe("10");
    expect(passBackHeaders(new Headers({ "content-length": "10", "content-encoding": "identity" })).get("content-length")).toBe("10");
  });

  it("lets the bound organisation win over an orgId in Desk's query string too", () => {
    const bound = { desk: { orgId: "7001", name: "Zylker" } };
    expect(boundQuery("desk", bound, "?limit=2&orgId=999")).toBe("?limit=2&orgId=7001");
    expect(boundQuery("desk", bound, "?ORGID=1&limit=2&orgid=2&%6FrgId=3&org%49d=4&orgId")).toBe("?limit=2&orgId=7001");
    expect(boundQuery("desk", bound, "?orgId=999&x=%E0%A4%A")).toBe("?x=%E0%A4%A&orgId=7001");
    expect(boundQuery("desk", {}, "?orgId=999&limit=2")).toBe("?limit=2");
    expect(boundQuery("desk", {}, "?orgId=999")).toBe("");
    // Untouched when there is none, and for the other services.
    expect(boundQuery("desk", bound, "?limit=2&sortBy=-createdTime&q=a+b%20c")).toBe("?limit=2&sortBy=-createdTime&q=a+b%20c");
    expect(boundQuery("desk", bound, "")).toBe("");
    expect(boundQuery("salesiq", bound, "?orgId=999")).toBe("?orgId=999");
  });
});

describe("serviceCallInfo", () => {
  it("names base URLs and headers per bound service for live data centres", () => {
    const info = serviceCallInfo(eu, {
      desk: { orgId: "7001", name: "Zylker Support" },
      salesiq: { screenName: "zylker eu", name: "Zylker" },
      assist: { orgId: "55", name: "Zylker", environment: "Production", departmentId: "900" },
    });
    expect(info.desk).toEqual({ base_url: "https://desk.zoho.eu/api/v1", org_id: "7001", organisation: "Zylker Support", headers: { orgId: "7001" } });
    expect(info.salesiq).toEqual({ base_url: "https://salesiq.zoho.eu/api/v2/zylker%20eu", screen_name: "zylker eu", portal: "Zylker" });
    expect(info.assist?.headers).toEqual({ "x-com-zoho-assist-department-id": "900" });
    expect(info.assist?.base_url).toBe("https://assist.zoho.eu/api/v2");
    expect(serviceCallInfo(eu, {})).toEqual({});
  });
});
