import { z } from "zod";
import { ROLES } from "@/db/enums";

// One schema per input, shared by the form (client-side hints) and the server (the real check).
const email = z
  .string()
  .trim()
  .min(1, "Enter an email address")
  .max(254, "Email addresses are at most 254 characters")
  .email("Enter a valid email address, like ops@example.com");

export const passwordRule = z
  .string()
  .min(12, "Use at least 12 characters")
  .max(256, "Use at most 256 characters");

export const signInSchema = z.object({
  email,
  password: z.string().min(1, "Enter your password").max(256),
});

const name = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(80, "Names are at most 80 characters");

export const setupSchema = z
  .object({ name, email, password: passwordRule, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "The passwords do not match", path: ["confirm"] });

export const newUserSchema = z.object({
  name,
  email,
  password: passwordRule,
  role: z.enum(ROLES, { message: "Choose a role" }),
});

export const changeRoleSchema = z.object({
  userId: z.coerce.number().int().positive(),
  role: z.enum(ROLES, { message: "Choose a role" }),
});

export const userIdSchema = z.object({ userId: z.coerce.number().int().positive() });

/** An admin resets a user's password: the one typed, or (left empty) a random one shown once. */
export const resetPasswordSchema = z.object({
  userId: z.coerce.number().int().positive(),
  // Its own name: the page's add-user form has a "password" field too.
  newPassword: z.union([z.literal(""), passwordRule]).optional(),
});

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password").max(256), password: passwordRule, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "The passwords do not match", path: ["confirm"] });
