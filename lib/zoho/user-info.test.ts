import { describe, expect, it } from "vitest";
import { fakeFetch, json, text } from "./testing/fake-fetch";
import { fetchUserInfo } from "./user-info";
import { isZohoError } from "./zoho-error";

const AT = "1000.2deaf8d0c268e3c85daa2a013a843b10.703d5c6e4ee6f8ffa4fb9bf5e0cd2b0d";

function call(response: () => Response) {
  const f = fakeFetch(response);
  return { f, p: fetchUserInfo({ accountsServer: "https://accounts.zoho.in/", accessToken: AT, timeoutMs: 1000, fetchImpl: f, location: "in" }) };
}

async function kindOf(p: Promise<unknown>) {
  try {
    await p;
    return "resolved";
  } catch (e) {
    if (isZohoError(e)) return e.kind;
    throw e;
  }
}

describe("fetchUserInfo", () => {
  it("GETs /oauth/user/info with the Zoho-oauthtoken header", async () => {
    const { f, p } = call(() =>
      json({ First_Name: "Ada", Email: "ada@example.com", Last_Name: "Lovelace", Display_Name: "Ada L.", ZUID: 712345678 }),
    );
    expect(await p).toEqual({ zuid: "712345678", email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", displayName: "Ada L." });
    expect(f.calls[0].url).toBe("https://accounts.zoho.in/oauth/user/info");
    expect(f.calls[0].method).toBe("GET");
    expect(f.calls[0].headers.authorization).toBe(`Zoho-oauthtoken ${AT}`);
  });

  it("falls back to the names, then the e-mail, for the display name", async () => {
    expect((await call(() => json({ ZUID: "9", Email: "x@y.z", First_Name: "X", Last_Name: "Y" })).p).displayName).toBe("X Y");
    expect((await call(() => json({ ZUID: "9", Email: "x@y.z" })).p).displayName).toBe("x@y.z");
  });

  it("needs a ZUID and an e-mail", async () => {
    expect(await kindOf(call(() => json({ Email: "x@y.z" })).p)).toBe("malformed");
    expect(await kindOf(call(() => json({ ZUID: 9 })).p)).toBe("malformed");
    expect(await kindOf(call(() => json({ ZUID: 2 ** 60, Email: "x@y.z" })).p)).toBe("malformed");
  });

  it("classifies a rejected token", async () => {
    expect(await kindOf(call(() => json({ code: "INVALID_OAUTHTOKEN", status: "failure" })).p)).toBe("invalid_token");
    expect(await kindOf(call(() => json({ error: "invalid_token" }, 401)).p)).toBe("invalid_token");
    expect(await kindOf(call(() => text("", 401)).p)).toBe("invalid_token");
  });

  it("classifies a missing profile scope", async () => {
    expect(await kindOf(call(() => json({ error: "invalid_scope" })).p)).toBe("insufficient_scope");
  });

  it("classifies HTML and 5xx", async () => {
    expect(await kindOf(call(() => text("<html></html>", 200, "text/html")).p)).toBe("malformed");
    expect(await kindOf(call(() => text("oops", 500)).p)).toBe("server");
  });
});
