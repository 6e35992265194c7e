/**
 * Shape checks for what an admin pastes from Zoho's API console. They catch the usual paste
 * mistakes (the secret in the id field, a truncated value, a stray space) before Zoho answers
 * with a bare `invalid_client`.
 */
import { z } from "zod";

type FieldCheck = { ok: true; value: string; warning?: string } | { ok: false; message: string };

/** `1000.` followed by 30 upper-case letters and digits, e.g. `1000.R2Z0WWOLFVMR287126QED3B4JWQ5EN`. */
const CLIENT_ID_PATTERN = /^1000\.[A-Z0-9]{30}$/;
const CLIENT_ID_BODY_LENGTH = 30;

const SECRET_MIN = 16;
const SECRET_MAX = 128;
const HEX_SECRET = /^[0-9a-f]{42}$/i;

export function validateClientId(input: unknown): FieldCheck {
  if (typeof input !== "string" || input.trim() === "") return { ok: false, message: "Enter the client id." };
  // Pasting from the console often adds surrounding whitespace; inner whitespace is a real error.
  const value = input.trim();
  if (value.length > 64) return { ok: false, message: "That is too long for a Zoho client id (they are 35 characters)." };
  if (/\s/.test(value)) return { ok: false, message: "A client id has no spaces." };
  if (!value.startsWith("1000.")) {
    return { ok: false, message: 'A Zoho client id starts with "1000." — copy it from the Client Secret tab in Zoho\'s API console.' };
  }
  const body = value.slice(5);
  if (!/^[A-Za-z0-9]+$/.test(body)) {
    return { ok: false, message: 'After "1000." a client id has only letters and digits.' };
  }
  if (body !== body.toUpperCase()) {
    return { ok: false, message: "Zoho client ids are upper case; check that the value was copied unchanged." };
  }
  if (body.length !== CLIENT_ID_BODY_LENGTH) {
    return {
      ok: false,
      message: `After "1000." a client id has ${CLIENT_ID_BODY_LENGTH} characters; this one has ${body.length}. It may be truncated.`,
    };
  }
  return { ok: true, value };
}

export function validateClientSecret(input: unknown): FieldCheck {
  if (typeof input !== "string" || input.trim() === "") return { ok: false, message: "Enter the client secret." };
  const value = input.trim();
  if (/\s/.test(value)) return { ok: false, message: "A client secret has no spaces or line breaks." };
  if (value.length > SECRET_MAX) return { ok: false, message: `That is too long for a client secret (at most ${SECRET_MAX} characters).` };
  if (value.length < SECRET_MIN) return { ok: false, message: "That is too short for a client secret; it may be truncated." };
  if (!/^[\x21-\x7e]+$/.test(value)) return { ok: false, message: "A client secret has only plain ASCII characters." };
  if (CLIENT_ID_PATTERN.test(value)) return { ok: false, message: "That is a client id, not the secret." };
  // Zoho's secrets today are 42 hex characters; accept others but say so, Zoho may change.
  if (!HEX_SECRET.test(value)) {
    return { ok: true, value, warning: "Zoho client secrets are usually 42 hexadecimal characters; check the value." };
  }
  return { ok: true, value };
}

function refineWith(check: (v: unknown) => FieldCheck) {
  return z.string().transform((v, ctx) => {
    const r = check(v);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: r.message });
      return z.NEVER;
    }
    return r.value;
  });
}

/** zod schemas so the form and the server action share exactly these rules. */
export const clientIdSchema = refineWith(validateClientId);
export const clientSecretSchema = refineWith(validateClientSecret);
