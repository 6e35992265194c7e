import { describe, expect, it } from "vitest";
import {
  consentStartDc,
  DC_LOCATIONS,
  dataCentre,
  dataCentres,
  enabledLocations,
  findByAccountsServer,
  isKnownApiDomain,
  normaliseSandboxBaseUrl,
} from "./data-centres";

const SANDBOX = "http://127.0.0.1:4010";

describe("live data centres", () => {
  it("match the table of zoho-oauth.md §2", () => {
    const table = Object.fromEntries(
      dataCentres("live").map((d) => [d.location, [d.accountsServer, d.apiDomain, d.products.desk, d.products.assist, d.products.salesiq]]),
    );
    expect(table).toEqual({
      us: ["https://accounts.zoho.com", "https://www.zohoapis.com", "https://desk.zoho.com", "https://assist.zoho.com", "https://salesiq.zoho.com"],
      eu: ["https://accounts.zoho.eu", "https://www.zohoapis.eu", "https://desk.zoho.eu", "https://assist.zoho.eu", "https://salesiq.zoho.eu"],
      in: ["https://accounts.zoho.in", "https://www.zohoapis.in", "https://desk.zoho.in", "https://assist.zoho.in", "https://salesiq.zoho.in"],
      au: ["https://accounts.zoho.com.au", "https://www.zohoapis.com.au", "https://desk.zoho.com.au", "https://assist.zoho.com.au", "https://salesiq.zoho.com.au"],
      jp: ["https://accounts.zoho.jp", "https://www.zohoapis.jp", "https://desk.zoho.jp", "https://assist.zoho.jp", "https://salesiq.zoho.jp"],
      ca: ["https://accounts.zohocloud.ca", "https://www.zohoapis.ca", "https://desk.zohocloud.ca", "https://assist.zohocloud.ca", "https://salesiq.zohocloud.ca"],
      sa: ["https://accounts.zoho.sa", "https://www.zohoapis.sa", "https://desk.zoho.sa", "https://assist.zoho.sa", "https://salesiq.zoho.sa"],
      uk: ["https://accounts.zoho.uk", "https://www.zohoapis.uk", "https://desk.zoho.uk", "https://assist.zoho.uk", "https://salesiq.zoho.uk"],
      cn: ["https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn", "https://desk.zoho.com.cn", "https://assist.zoho.com.cn", "https://salesiq.zoho.com.cn"],
    });
  });

  it("label every DC and keep DC_LOCATIONS order", () => {
    expect(dataCentres("live").map((d) => d.location)).toEqual([...DC_LOCATIONS]);
    expect(dataCentre("live", "us").label).toBe("United States");
    expect(dataCentres("live").every((d) => d.label.length > 0)).toBe(true);
  });

  it("rejects an unknown location", () => {
    expect(() => dataCentre("live", "xx" as never)).toThrow(/Unknown Zoho data centre/);
  });
});

describe("sandbox data centres", () => {
  it("are built once per base URL, each base keeping its own, and a bad base refused every time", () => {
    expect(dataCentre("sandbox", "us", SANDBOX)).toBe(dataCentre("sandbox", "us", SANDBOX));
    expect(dataCentre("sandbox", "us", "http://sandbox.test:9000/zoho/").accountsServer).toBe("http://sandbox.test:9000/zoho/us/accounts");
    expect(dataCentre("sandbox", "us", SANDBOX).accountsServer).toBe("http://127.0.0.1:4010/us/accounts");
    expect(Object.isFrozen(dataCentres("sandbox", SANDBOX))).toBe(true);
    for (let i = 0; i < 2; i++) expect(() => dataCentre("sandbox", "us", "ftp://127.0.0.1")).toThrow(/http or https/);
    expect(() => dataCentre("sandbox", "us")).toThrow(/needs the sandbox base URL/);
  });

  it("follow the fixed layout under the base URL", () => {
    expect(dataCentre("sandbox", "eu", SANDBOX)).toMatchObject({
      location: "eu",
      accountsServer: "http://127.0.0.1:4010/eu/accounts",
      apiDomain: "http://127.0.0.1:4010/eu/zohoapis",
      products: {
        desk: "http://127.0.0.1:4010/eu/desk",
        assist: "http://127.0.0.1:4010/eu/assist",
        salesiq: "http://127.0.0.1:4010/eu/salesiq",
      },
    });
  });

  it("normalise a trailing slash and keep a path prefix", () => {
    expect(normaliseSandboxBaseUrl("http://127.0.0.1:4010/")).toBe(SANDBOX);
    expect(dataCentre("sandbox", "us", "http://LOCALHOST:4010/zoho/").accountsServer).toBe("http://localhost:4010/zoho/us/accounts");
  });

  it("need a usable base URL", () => {
    expect(() => dataCentres("sandbox")).toThrow(/sandbox base URL/);
    expect(() => dataCentres("sandbox", "ftp://x")).toThrow(/http or https/);
    expect(() => dataCentres("sandbox", "http://u:p@127.0.0.1:4010")).toThrow(/credentials/);
  });
});

describe("findByAccountsServer", () => {
  it.each([
    ["https://accounts.zoho.com", "us"],
    ["https://accounts.zoho.com/", "us"],
    ["https://ACCOUNTS.Zoho.EU", "eu"],
    ["HTTPS://accounts.zoho.com.au/", "au"],
    ["https://accounts.zohocloud.ca", "ca"],
    ["https://accounts.zoho.com.cn", "cn"],
  ])("accepts %s", (url, location) => {
    expect(findByAccountsServer("live", url)?.location).toBe(location);
  });

  it.each([
    "https://accounts.zoho.com.evil.io",
    "https://accounts.zoho.com@evil.io",
    "https://evil.io@accounts.zoho.com",
    "https://evil.io/accounts.zoho.com",
    "https://evil.io?accounts.zoho.com",
    "https://accounts.zoho.com#@evil.io",
    "http://accounts.zoho.com",
    "ftp://accounts.zoho.com",
    "javascript:alert(1)//accounts.zoho.com",
    "//accounts.zoho.com",
    "accounts.zoho.com",
    "https://accounts.zoho.com/oauth",
    "https://accounts.zoho.com//",
    "https://accounts.zoho.com:8443",
    "https://accounts.zoho.com:443",
    "https://accounts.zoho.com.",
    "https://xaccounts.zoho.com",
    "https:\\\\accounts.zoho.com",
    "https://accounts%2ezoho.com",
    " https://accounts.zoho.com",
    "https://accounts.zoho.com ",
    "https://accounts.zoho.ca",
    "https://accounts.zoho.co",
    "",
    "x".repeat(500),
  ])("rejects %j", (url) => {
    expect(findByAccountsServer("live", url)).toBeUndefined();
  });

  it("rejects non-strings", () => {
    expect(findByAccountsServer("live", undefined)).toBeUndefined();
    expect(findByAccountsServer("live", ["https://accounts.zoho.com"])).toBeUndefined();
  });

  it("keeps realms apart", () => {
    expect(findByAccountsServer("sandbox", "https://accounts.zoho.com", SANDBOX)).toBeUndefined();
    expect(findByAccountsServer("live", "http://127.0.0.1:4010/eu/accounts")).toBeUndefined();
  });

  it("matches the sandbox layout exactly", () => {
    expect(findByAccountsServer("sandbox", "http://127.0.0.1:4010/eu/accounts", SANDBOX)?.location).toBe("eu");
    expect(findByAccountsServer("sandbox", "http://127.0.0.1:4010/eu/accounts/", SANDBOX)?.location).toBe("eu");
    for (const bad of [
      "http://127.0.0.1:4010/eu/accounts/x",
      "http://127.0.0.1:4010/eu/desk",
      "http://127.0.0.1:4010/EU/accounts",
      "http://127.0.0.1:4011/eu/accounts",
      "http://127.0.0.1:4010/xx/accounts",
      "http://127.0.0.1:4010/eu/%61ccounts",
      "http://127.0.0.1:4010/eu/../eu/accounts",
      "https://127.0.0.1:4010/eu/accounts",
    ]) {
      expect(findByAccountsServer("sandbox", bad, SANDBOX), bad).toBeUndefined();
    }
  });
});

describe("consentStartDc", () => {
  it("uses the home DC of a single-DC client", () => {
    expect(consentStartDc({ realm: "live", homeDc: "eu", multiDc: false }).accountsServer).toBe("https://accounts.zoho.eu");
  });

  it("starts a multi-DC live client at accounts.zoho.com", () => {
    expect(consentStartDc({ realm: "live", homeDc: "eu", multiDc: true, enabledDcs: ["us", "in"] }).accountsServer).toBe(
      "https://accounts.zoho.com",
    );
  });

  it("keeps China on its own deployment", () => {
    expect(consentStartDc({ realm: "live", homeDc: "cn", multiDc: true }).accountsServer).toBe("https://accounts.zoho.com.cn");
  });

  it("ignores multi-DC for a self client", () => {
    expect(consentStartDc({ realm: "live", homeDc: "in", multiDc: true, clientType: "self" }).location).toBe("in");
  });

  it("mirrors the rule in the sandbox", () => {
    expect(consentStartDc({ realm: "sandbox", homeDc: "eu", multiDc: true }, SANDBOX).accountsServer).toBe(
      "http://127.0.0.1:4010/us/accounts",
    );
    expect(consentStartDc({ realm: "sandbox", homeDc: "eu", multiDc: false }, SANDBOX).accountsServer).toBe(
      "http://127.0.0.1:4010/eu/accounts",
    );
  });
});

describe("enabledLocations", () => {
  it("is the home DC plus enabled DCs for multi-DC clients only", () => {
    expect(enabledLocations({ realm: "live", homeDc: "eu", multiDc: false, enabledDcs: ["us"] })).toEqual(["eu"]);
    expect(enabledLocations({ realm: "live", homeDc: "eu", multiDc: true, enabledDcs: ["in", "us"] })).toEqual(["us", "eu", "in"]);
    expect(enabledLocations({ realm: "live", homeDc: "eu", multiDc: true, enabledDcs: ["us"], clientType: "self" })).toEqual(["eu"]);
  });
});

describe("isKnownApiDomain", () => {
  it("accepts the API domains of the realm's data centres, with a trailing slash or other case", () => {
    expect(isKnownApiDomain("live", "https://www.zohoapis.com")).toBe(true);
    expect(isKnownApiDomain("live", "https://www.zohoapis.EU/")).toBe(true);
    expect(isKnownApiDomain("sandbox", "http://127.0.0.1:4010/eu/zohoapis", "http://127.0.0.1:4010")).toBe(true);
  });

  it("refuses look-alikes, other schemes and the other realm", () => {
    expect(isKnownApiDomain("live", "https://www.zohoapis.com.evil.io")).toBe(false);
    expect(isKnownApiDomain("live", "http://www.zohoapis.com")).toBe(false);
    expect(isKnownApiDomain("live", "http://127.0.0.1:4010/us/zohoapis")).toBe(false);
    expect(isKnownApiDomain("sandbox", "https://www.zohoapis.com", "http://127.0.0.1:4010")).toBe(false);
  });
});
