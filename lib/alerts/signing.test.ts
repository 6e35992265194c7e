import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { newWebhookSecret, signedHeaders } from "@/lib/alerts/signing";

const body = JSON.stringify({ type: "connection.failed", data: { connection: "c_1" } });

describe("newWebhookSecret", () => {
  it("is whsec_ plus 32 random bytes in base64, different every time", () => {
    const a = newWebhookSecret();
    const b = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});

describe("signedHeaders", () => {
  it("produces headers the reference verifier accepts", () => {
    const secret = newWebhookSecret();
    const now = new Date();
    const headers = signedHeaders([secret], "msg_1", now, body);
    expect(headers["webhook-id"]).toBe("msg_1");
    expect(headers["webhook-timestamp"]).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("signs with every secret during a rotation, so either verifies", () => {
    const next = newWebhookSecret();
    const old = newWebhookSecret();
    const headers = signedHeaders([next, old], "msg_2", new Date(), body);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => new Webhook(next).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(old).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(/signature/i);
  });

  it("fails verification for a tampered body or message id", () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders([secret], "msg_3", new Date(), body);
    expect(() => new Webhook(secret).verify(body.replace("c_1", "c_2"), headers)).toThrow(/signature/i);
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-id": "msg_4" })).toThrow(/signature/i);
  });

  it("fails verification when the timestamp is older than 5 minutes", () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders([secret], "msg_5", new Date(Date.now() - 6 * 60_000), body);
    expect(() => new Webhook(secret).verify(body, headers)).toThrow(/too old/);
  });

  it("refuses to sign without a secret or with a blank id", () => {
    expect(() => signedHeaders([], "msg_6", new Date(), body)).toThrow();
    expect(() => signedHeaders([newWebhookSecret()], " ", new Date(), body)).toThrow();
  });
});
