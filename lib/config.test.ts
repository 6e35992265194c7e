import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

describe("configuration", () => {
  it("has working defaults for a first start", () => {
    const cfg = parseConfig({});
    expect(cfg.CONSOLE_PUBLIC_URL).toBe("http://localhost:3000");
    expect(cfg.ZOHO_SANDBOX_URL).toBe("http://127.0.0.1:4010");
    expect(cfg.databaseFile.endsWith(".data/console.db")).toBe(true);
  });

  it("offers the sandbox in production only when it is configured", () => {
    expect(parseConfig({ NODE_ENV: "production" }).ZOHO_SANDBOX_URL).toBe("");
    expect(parseConfig({ NODE_ENV: "production", ZOHO_SANDBOX_URL: "http://127.0.0.1:4010" }).ZOHO_SANDBOX_URL).toBe("http://127.0.0.1:4010");
  });

  it("names the variable and the problem", () => {
    const problems = (() => {
      try {
        parseConfig({ CONSOLE_PUBLIC_URL: "http://console.example.com", ZOHO_HTTP_TIMEOUT_MS: "soon" });
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    })();
    expect(problems).toHaveLength(2);
    expect(problems.join("\n")).toMatch(/CONSOLE_PUBLIC_URL must use https/);
    expect(problems.join("\n")).toMatch(/ZOHO_HTTP_TIMEOUT_MS must be a number/);
  });

  it("accepts https anywhere and plain http on loopback, and can turn the sandbox off", () => {
    expect(parseConfig({ CONSOLE_PUBLIC_URL: "https://oauth.example.com/" }).CONSOLE_PUBLIC_URL).toBe("https://oauth.example.com");
    expect(parseConfig({ CONSOLE_PUBLIC_URL: "http://127.0.0.1:3000" }).CONSOLE_PUBLIC_URL).toBe("http://127.0.0.1:3000");
    expect(parseConfig({ ZOHO_SANDBOX_URL: "" }).ZOHO_SANDBOX_URL).toBe("");
  });

  it("checks every whole-number variable the same way: number, whole, bounds, with the bound's reason", () => {
    const problems = (env: Record<string, string>) => {
      try {
        parseConfig(env);
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    };
    expect(problems({ LOGIN_LOCK_MINUTES: "1.5" })).toEqual(["LOGIN_LOCK_MINUTES must be a whole number of minutes"]);
    expect(problems({ CONSOLE_DATABASE_POOL_MAX: "0" })).toEqual(["CONSOLE_DATABASE_POOL_MAX must be at least 1"]);
    expect(problems({ CONSOLE_AUDIT_RETENTION_DAYS: "30" })).toEqual(["CONSOLE_AUDIT_RETENTION_DAYS must be at least 31 (the charts show 30 days)"]);
    expect(problems({ LOGIN_MAX_DELAY_SECONDS: "301" })).toEqual([
      "LOGIN_MAX_DELAY_SECONDS must be at most 300 (a longer wait lets strangers keep owners out)",
    ]);
    expect(problems({ TRUSTED_PROXY_HOPS: "-1" })).toEqual(["TRUSTED_PROXY_HOPS must be 0 or more"]);
    const cfg = parseConfig({});
    expect([cfg.CONSOLE_DATABASE_POOL_MAX, cfg.ZOHO_HTTP_TIMEOUT_MS, cfg.LOGIN_MAX_FAILURES, cfg.CONSOLE_PROXY_MAX_RESPONSE_BYTES]).toEqual([10, 10_000, 5, 50 * 1024 * 1024]);
  });
});
