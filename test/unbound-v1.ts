import { createCipheriv, randomBytes } from "node:crypto";
import type { KeyRing } from "@/lib/crypto";

/**
 * A value in the v1 form that earlier releases wrote (associated data `v1.<keyId>` only, bound
 * to no place). The console no longer writes it; tests use it to stand for data stored before.
 */
export function encryptUnboundV1(ring: KeyRing, plaintext: string): string {
  const key = ring.keys.get(ring.activeId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(`v1.${ring.activeId}`));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", ring.activeId, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}
