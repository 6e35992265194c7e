import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/**
 * Webhook signatures per the Standard Webhooks spec (https://www.standardwebhooks.com), using its
 * reference library so receivers can verify with any of the spec's libraries.
 */

/** A fresh signing secret in the spec's `whsec_<base64>` form; 32 bytes matches HMAC-SHA256's key size. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * Standard Webhooks headers for one message. During a secret rotation the message is signed with
 * every secret given (new and old), space-separated, so receivers still on the old secret keep
 * verifying until they switch.
 */
export function signedHeaders(
  secrets: readonly string[],
  msgId: string,
  timestamp: Date,
  body: string,
): { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string } {
  if (secrets.length === 0) throw new Error("signedHeaders needs at least one secret");
  // Both are part of the signed content: a blank id or an invalid date would sign garbage silently.
  if (!msgId.trim()) throw new Error("webhook-id must not be empty");
  if (Number.isNaN(timestamp.getTime())) throw new Error("webhook-timestamp must be a valid date");
  const signatures = [...new Set(secrets)].map((secret) => new Webhook(secret).sign(msgId, timestamp, body));
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
