import "server-only";
import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes, base64url: 43 characters, all of the link's path after /connect/. */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const generateLinkToken = () => randomBytes(TOKEN_BYTES).toString("base64url");

/**
 * Links are found by this hash, so the token is never compared or stored; a random 256-bit
 * token needs no slow hash.
 */
export const hashLinkToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** Anything else in the path is refused before the database is asked. */
export const looksLikeLinkToken = (value: string) => TOKEN_SHAPE.test(value);
