import { describe, expect, it } from "vitest";
import { namesInvalidToken, productAnswerKind, resourceBody, zohoAnswerCode } from "./resource-response";

describe("productAnswerKind", () => {
  it.each<[string, number, unknown, ReturnType<typeof productAnswerKind>]>([
    ["Desk 401 INVALID_OAUTH", 401, { errorCode: "INVALID_OAUTH", message: "The OAuth Token you provided is invalid." }, "invalid_token"],
    ["Desk 401 SCOPE_MISMATCH", 401, { errorCode: "SCOPE_MISMATCH", message: "The OAuth scope does not allow this request." }, "insufficient_scope"],
    ["SalesIQ 200 code 1008", 200, { error: { code: 1008, message: "Invalid access token" } }, "invalid_token"],
    ["SalesIQ 200 code 1002", 200, { error: { code: 1002, message: "Invalid Authorization header" } }, "invalid_token"],
    ["SalesIQ 200 code 1009", 200, { error: { code: 1009, message: "Invalid OAuth scope" } }, "insufficient_scope"],
    ["SalesIQ 200 code 1009 as a string", 200, { error: { code: "1009", message: "x" } }, "insufficient_scope"],
    ["Assist 401 code 1008", 401, { error: { code: 1008, message: "The OAuth token is invalid or has expired." } }, "invalid_token"],
    ["Assist 401 code 1009", 401, { error: { code: 1009, message: "Invalid OAuth scope" } }, "insufficient_scope"],
    ["Assist 400 code 1005 (no organisation)", 400, { error: { code: 1005, message: "No organisation" } }, "wrong_org"],
    ["SalesIQ 200 code 1005 (invalid portal)", 200, { error: { code: 1005, message: "Invalid portal" } }, "wrong_org"],
    ["Desk 403 OAUTH_ORG_MISMATCH", 403, { errorCode: "OAUTH_ORG_MISMATCH", message: "The OAuth token is not valid for the organization." }, "wrong_org"],
    ["Desk 401 OAUTH_ORG_MISMATCH", 401, { errorCode: "OAUTH_ORG_MISMATCH", message: "x" }, "wrong_org"],
    ["Desk 403 SCOPE_MISMATCH", 403, { errorCode: "SCOPE_MISMATCH", message: "x" }, "insufficient_scope"],
    ["Assist 401 INVALID_OAUTHTOKEN", 401, { error: { code: "INVALID_OAUTHTOKEN", message: "The OAuth token is invalid or has expired." } }, "invalid_token"],
    ["Assist 401 INVALID_OAUTHSCOPE", 401, { error: { code: "INVALID_OAUTHSCOPE", message: "The OAuth scope does not allow this request." } }, "insufficient_scope"],
    ["zohoapis 401 INVALID_TOKEN", 401, { code: "INVALID_TOKEN", details: {}, message: "invalid oauth token", status: "error" }, "invalid_token"],
    ["zohoapis 401 OAUTH_SCOPE_MISMATCH", 401, { code: "OAUTH_SCOPE_MISMATCH", details: {}, message: "invalid oauth scope to access this URL", status: "error" }, "insufficient_scope"],
    ["accounts 401 INVALID_OAUTHTOKEN", 401, { status: "failure", error: "INVALID_OAUTHTOKEN" }, "invalid_token"],
    ["a 401 with an HTML body (not JSON)", 401, undefined, "invalid_token"],
    ["a 401 with an empty JSON object", 401, {}, "invalid_token"],
    ["a 401 with a JSON array", 401, [], "invalid_token"],
  ])("%s", (_name, status, json, kind) => {
    expect(productAnswerKind(status, json)).toBe(kind);
  });

  it.each<[string, number, unknown]>([
    ["SalesIQ 200 portal list", 200, { url: "/api/v2/portals", object: "list", data: [{ screenname: "zylker", name: "Zylker" }] }],
    ["SalesIQ 200 code 1006 (invalid URL)", 200, { error: { code: 1006, message: "Invalid URL" } }],
    ["Desk 200 organisations", 200, { data: [{ id: "1", companyName: "Zylker" }] }],
    ["Desk 200 ticket created", 200, { id: "1", subject: "x", status: "Open" }],
    ["Desk 422 validation error", 422, { errorCode: "UNPROCESSABLE_ENTITY", message: "x", errors: [{ fieldName: "/subject", errorType: "missing" }] }],
    ["Desk 403 FORBIDDEN (the user lacks a permission)", 403, { errorCode: "FORBIDDEN", message: "x" }],
    ["Desk 415", 415, { errorCode: "UNSUPPORTED_MEDIA_TYPE", message: "x" }],
    ["zohoapis 404 INVALID_URL_PATTERN", 404, { code: "INVALID_URL_PATTERN", details: {}, message: "x", status: "error" }],
    ["a 500 with an HTML body", 500, undefined],
    ["a 200 with no body", 200, undefined],
  ])("%s is neither", (_name, status, json) => {
    expect(productAnswerKind(status, json)).toBeUndefined();
  });

  it("does not take a numeric code for a token error when it is only in the message", () => {
    expect(productAnswerKind(200, { error: { code: 1006, message: "1008" } })).toBeUndefined();
  });
});

describe("namesInvalidToken: only an answer with a documented invalid-token code", () => {
  it.each<[string, unknown, boolean]>([
    ["Desk", { errorCode: "INVALID_OAUTH", message: "The OAuth Token you provided is invalid." }, true],
    ["accounts", { status: "failure", error: "INVALID_OAUTHTOKEN" }, true],
    ["www.zohoapis", { code: "INVALID_TOKEN", details: {}, message: "invalid oauth token", status: "error" }, true],
    ["SalesIQ 1008", { error: { code: 1008, message: "Invalid access token" } }, true],
    ["Assist 1008", { error: { code: 1008, message: "The OAuth token is invalid or has expired." } }, true],
    ["a missing scope", { errorCode: "SCOPE_MISMATCH" }, false],
    ["a wrong organisation", { errorCode: "OAUTH_ORG_MISMATCH" }, false],
    ["SalesIQ's missing header", { error: { code: 1002, message: "Missing or invalid Authorization header" } }, true],
    ["an HTML page (a bare 401)", undefined, false],
    ["an empty object", {}, false],
    ["an unknown error", { errorCode: "SOMETHING_ELSE" }, false],
  ])("%s", (_name, json, expected) => {
    expect(namesInvalidToken(json)).toBe(expected);
  });

  it("tells a documented refusal from a bare 401 on the errors Verify sees", () => {
    const res = (status: number, json: unknown) => ({ status, json, text: JSON.stringify(json ?? ""), contentType: "application/json", host: "desk.zoho.com" });
    const named = (() => {
      try {
        resourceBody(res(401, { errorCode: "INVALID_OAUTH" }) as never, { operation: "verify" });
      } catch (e) {
        return e as { kind: string; tokenNamedInvalid: boolean };
      }
    })();
    const bare = (() => {
      try {
        resourceBody(res(401, undefined) as never, { operation: "verify" });
      } catch (e) {
        return e as { kind: string; tokenNamedInvalid: boolean };
      }
    })();
    expect([named?.kind, named?.tokenNamedInvalid]).toEqual(["invalid_token", true]);
    expect([bare?.kind, bare?.tokenNamedInvalid]).toEqual(["invalid_token", false]);
    expect(zohoAnswerCode({ errorCode: "INVALID_OAUTH" })).toBe("INVALID_OAUTH");
  });
});
