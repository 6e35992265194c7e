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
});
