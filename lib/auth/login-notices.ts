/** Notes the sign-in page shows for where the user came from (`/login?notice=…`). */
export const LOGIN_NOTICES = {
  password_changed: "Your password was changed and your sessions ended. Sign in with the new password.",
} as const;

export type LoginNotice = keyof typeof LOGIN_NOTICES;

export const isLoginNotice = (v: unknown): v is LoginNotice => typeof v === "string" && Object.hasOwn(LOGIN_NOTICES, v);
