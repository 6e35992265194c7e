import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { inActionContext } from "@/lib/action-context";
import { actorOf, recordAudit, type AuditAction } from "@/lib/audit";
import { clientIp } from "@/lib/request-ip";
import { AuthorizationError, authorize, type SessionUser } from "@/lib/auth/session";
import { UserError } from "@/lib/errors";
import { TokenError } from "@/lib/tokens/errors";
import type { Permission } from "@/lib/rbac";

export type ActionResult =
  // `created` carries a new API key in clear, once, to the admin who made it; failures never do.
  // `oneTimePassword` carries a password an admin just reset, once, to that admin.
  // `redirect` sends the browser on (Zoho's consent page, the new record); guardedAction does it.
  | { ok: true; message?: string; created?: { id: number; key: string }; oneTimePassword?: string; redirect?: string }
  // A failure never hands the input back: forms keep what was typed (components/ui/action-form.tsx).
  | { ok: false; error: string; fieldErrors?: Record<string, string>; link?: { href: string; label: string } };

export const fieldErrorsOf = (error: z.ZodError): Record<string, string> =>
  Object.fromEntries(error.issues.map((i) => [String(i.path[0] ?? "form"), i.message]).reverse());

export async function requestIp(): Promise<string | null> {
  return clientIp(await headers());
}

/** Repeated keys (checkbox groups) become arrays; `$`-prefixed framework fields are dropped. */
function formDataToObject(fd: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(fd.keys())) {
    if (key.startsWith("$")) continue;
    const all = fd.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

// The type of the object an action acts on, from its catalogue name, so a refused action's row
// links to its target like an allowed one's does.
const TARGET_TYPE_OF_PREFIX: Record<string, string> = {
  client: "client",
  connection: "connection",
  connect_link: "connect_link",
  user: "user",
  api_key: "api_key",
  alert: "alert_destination",
  incident: "incident",
};

/** The object a refused request aimed at, when its input names one. */
export function targetOf(action: AuditAction, input: unknown): { type: string; id: string } | undefined {
  const raw = input instanceof FormData ? formDataToObject(input) : (input as Record<string, unknown> | null);
  const own = TARGET_TYPE_OF_PREFIX[action.slice(0, action.indexOf("."))] ?? "record";
  for (const [field, type] of [["id", own], ["userId", "user"], ["connectionId", "connection"], ["clientId", "client"]] as const) {
    const v = raw?.[field];
    if (typeof v === "string" || typeof v === "number") return { type, id: String(v).slice(0, 64) };
  }
  return undefined;
}

/**
 * The frame of every server action: check the role on the server, validate the input with its
 * zod schema, run, and turn expected failures (UserError, TokenError) into messages the form can
 * show. A success with `redirect` sends the browser there once the action (and its audit) is done.
 */
export async function guardedAction<S extends z.ZodType>(
  permission: Permission,
  action: AuditAction,
  schema: S,
  input: unknown,
  run: (data: z.infer<S>, user: SessionUser) => Promise<ActionResult>,
): Promise<ActionResult> {
  // Every line the action logs, however deep (a refresh, a revoke, a code exchange), carries
  // one request id of its own.
  const result = await inActionContext(async (): Promise<ActionResult> => {
    let user: SessionUser;
    try {
      user = await authorize(permission);
    } catch (e) {
      if (!(e instanceof AuthorizationError)) throw e;
      if (e.reason === "forbidden" && e.user) {
        // A signed-in user can post a refused action as often as they like: one counted row per
        // user, action and minute, whatever target each post names (the row keeps the first).
        await recordAudit({
          actor: actorOf(e.user),
          action,
          target: targetOf(action, input),
          outcome: "denied",
          detail: { reason: "forbidden", role: e.user.role, permission },
          ip: await requestIp(),
          fold: true,
        });
      }
      return { ok: false, error: e.message };
    }
    const raw = input instanceof FormData ? formDataToObject(input) : input;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      return { ok: false, error: "Some fields need attention.", fieldErrors: fieldErrorsOf(parsed.error) };
    }
    try {
      return await run(parsed.data, user);
    } catch (e) {
      if (e instanceof UserError) {
        return { ok: false, error: e.message, fieldErrors: e.field ? { [e.field]: e.message } : undefined, ...(e.link ? { link: e.link } : {}) };
      }
      if (e instanceof TokenError) {
        return { ok: false, error: e.advice ? `${e.message} ${e.advice}` : e.message };
      }
      throw e;
    }
  });
  // Outside every try: redirect() works by throwing.
  if (result.ok && result.redirect) redirect(result.redirect);
  return result;
}
