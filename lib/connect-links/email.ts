import "server-only";
import { timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { connectLinks, users, zohoClients, type ConnectLinkKind } from "@/db/schema";
import { sendAlertMail } from "@/lib/alerts/mailer";
import type { SessionUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { relativeTime } from "@/lib/connection-status";
import { UserError } from "@/lib/errors";
import type { AccessType } from "@/lib/zoho";
import { describeScopes } from "./describe";
import { takePublicCall } from "./rate-limit";
import { hashLinkToken, looksLikeLinkToken } from "./token";
import { effectiveState, isOpenState, LINK_STATE_LABELS } from "./view";

/**
 * A connect link sent by e-mail from the console. The link's address exists only in the browser
 * that created it, so the form sends it back; it is accepted only as this console's link address
 * whose token is the link's current one, and it goes into the message and nowhere else (no audit
 * row, no log line). Sent at once, not through the outbox: an outbox row would have to keep the
 * token, which the console never stores.
 */

export const sendLinkEmailSchema = z.object({
  id: z.coerce.number({ message: "Choose a link" }).int().positive("Choose a link"),
  url: z.string({ message: "The link's address is missing: send it from where the link was shown" }).trim().max(500, "This is not a connect link address"),
  to: z
    .string({ message: "Enter the recipient's e-mail address" })
    .trim()
    .toLowerCase()
    .max(254, "Use at most 254 characters")
    .pipe(z.email("Enter the recipient's e-mail address, like owner@example.com")),
});
export type SendLinkEmailValues = z.output<typeof sendLinkEmailSchema>;

/** A few messages a minute per console user: the console's SMTP server is not a relay. */
export const LINK_EMAILS_PER_MINUTE = 5;

/** The token of `url` when it is exactly `<public URL>/connect/<token>`; null for anything else. */
export function linkTokenFromUrl(url: string, publicUrl: string): string | null {
  const prefix = `${publicUrl.replace(/\/+$/, "")}/connect/`;
  if (!url.startsWith(prefix)) return null;
  const token = url.slice(prefix.length);
  return looksLikeLinkToken(token) ? token : null;
}

export interface LinkEmailFacts {
  kind: ConnectLinkKind;
  /** Who asks: the link's creator, or the sender when the creator is gone. */
  requestedBy: string;
  senderEmail: string;
  clientName: string;
  connectionName: string;
  scopes: string[];
  accessType: AccessType;
  expectedEmail: string | null;
  url: string;
  expiresAt: number;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
// One line whatever a name contains: a line break in a header would start a new header.
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, " ").trim();

/** The recipient's zone is unknown: UTC, saying so, with how long that is from now. */
export function expiryText(expiresAt: number, now: number): string {
  const at = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(expiresAt));
  return `${at} UTC (${relativeTime(expiresAt, now)})`;
}

function paragraphs(f: LinkEmailFacts, now: number) {
  const intro =
    f.kind === "reconnect"
      ? `${f.requestedBy} (${f.senderEmail}) asks you to authorize the Zoho connection “${f.connectionName}” again. It stopped working; authorizing again restores it with the same permissions, through their Zoho client “${f.clientName}”.`
      : `${f.requestedBy} (${f.senderEmail}) asks for access to your Zoho account, through their Zoho client “${f.clientName}”, for the connection “${f.connectionName}”. You keep your Zoho password; they receive a token you can revoke at any time in Zoho (Connected Apps).`;
  const validity = [
    `The link works until ${expiryText(f.expiresAt, now)}, for one consent.`,
    f.expectedEmail ? `Sign in at Zoho as ${f.expectedEmail}; another Zoho user will be refused.` : null,
    f.accessType === "offline" ? "The access continues after you close the page, until you or they revoke it." : null,
  ]
    .filter(Boolean)
    .join(" ");
  return {
    intro,
    services: describeScopes(f.scopes),
    open: "Open this link to read the details and continue to Zoho:",
    validity,
    ignore: "If you did not expect this message, ignore it: nothing happens unless you open the link and accept at Zoho.",
    footer: `Sent by ${f.senderEmail} from the Zoho OAuth Console.`,
  };
}

/** The message: who asks, through which client, for what, the link and until when. */
export function composeLinkEmail(f: LinkEmailFacts, now = Date.now()): { subject: string; text: string; html: string } {
  const p = paragraphs(f, now);
  const subject = oneLine(
    f.kind === "reconnect" ? `${f.requestedBy} asks you to reconnect your Zoho account` : `${f.requestedBy} asks for access to your Zoho account`,
  ).slice(0, 200);
  const text = [
    p.intro,
    "",
    "What they may do",
    ...p.services.flatMap((s) => [s.name, ...s.scopes.map((x) => `- ${x.allows}${x.broad ? " (every operation)" : ""} [${x.scope}]`)]),
    "",
    p.open,
    f.url,
    "",
    p.validity,
    "",
    p.ignore,
    "",
    "--",
    p.footer,
  ].join("\n");
  const P = "margin:0 0 12px;font-size:14px;line-height:1.5";
  const services = p.services
    .map(
      (s) =>
        `<p style="${P};margin-bottom:4px;font-weight:600">${escapeHtml(s.name)}</p><ul style="${P};padding-left:20px">${s.scopes
          .map((x) => `<li>${escapeHtml(x.allows)}${x.broad ? " (every operation)" : ""} <code style="color:#57606a">${escapeHtml(x.scope)}</code></li>`)
          .join("")}</ul>`,
    )
    .join("");
  const html = [
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f6f8fa;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2328">`,
    `<div style="max-width:640px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:6px;padding:24px">`,
    `<p style="${P}">${escapeHtml(p.intro)}</p>`,
    `<h2 style="font-size:14px;margin:20px 0 6px">What they may do</h2>`,
    services,
    `<p style="${P}">${escapeHtml(p.open)}<br><a href="${escapeHtml(f.url)}" style="color:#0969da;word-break:break-all">${escapeHtml(f.url)}</a></p>`,
    `<p style="${P}">${escapeHtml(p.validity)}</p>`,
    `<p style="${P};color:#57606a">${escapeHtml(p.ignore)}</p>`,
    `<p style="margin:24px 0 0;font-size:12px;color:#57606a">${escapeHtml(p.footer)}</p>`,
    `</div></body></html>`,
  ].join("\n");
  return { subject, text: `${text}\n`, html };
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

type Sender = Pick<SessionUser, "id" | "email" | "name">;

/**
 * Sends an open link's current address to one recipient. Refuses (UserError) what the sender can
 * fix; answers `delivered: false` with the SMTP server's reason when the server said no.
 */
export async function sendLinkByEmail(input: SendLinkEmailValues, sender: Sender, now = Date.now()): Promise<{ delivered: boolean; error?: string }> {
  const { SMTP_URL: smtpUrl, SMTP_FROM: from, CONSOLE_PUBLIC_URL: publicUrl } = config();
  if (!smtpUrl) throw new UserError("E-mail is off: set SMTP_URL (smtp://host:port) in the console's environment and restart it. Copy the link instead.");
  const token = linkTokenFromUrl(input.url, publicUrl);
  if (!token) throw new UserError("This is not a connect link of this console. Send the link from where it was shown after creating it.", "url");
  const [found] = await getDb()
    .select({ link: connectLinks, clientName: zohoClients.name, creator: users.name })
    .from(connectLinks)
    .innerJoin(zohoClients, eq(zohoClients.id, connectLinks.clientRef))
    .leftJoin(users, eq(users.id, connectLinks.createdBy))
    .where(eq(connectLinks.id, input.id));
  if (!found) throw new UserError("This connect link no longer exists.");
  const { link } = found;
  if (!sameHash(hashLinkToken(token), link.tokenHash)) {
    throw new UserError("This address is not the link's current one (it was issued again since). Send the newest link.", "url");
  }
  const state = effectiveState(link, now);
  if (!isOpenState(state)) {
    throw new UserError(`This link is ${LINK_STATE_LABELS[state].toLowerCase()}, so it would no longer work. Issue it again and send the new one.`);
  }
  const budget = await takePublicCall(`mail:user:${sender.id}`, LINK_EMAILS_PER_MINUTE);
  if (!budget.allowed) throw new UserError(`You sent several links by e-mail just now. Try again in ${budget.retryAfterSec} s.`);

  const message = composeLinkEmail(
    {
      kind: link.kind,
      requestedBy: found.creator ?? sender.name,
      senderEmail: sender.email,
      clientName: found.clientName,
      connectionName: link.connectionName,
      scopes: link.scopes,
      accessType: link.accessType,
      expectedEmail: link.expectedEmail,
      url: `${publicUrl}/connect/${token}`,
      expiresAt: link.expiresAt.getTime(),
    },
    now,
  );
  const outcome = await sendAlertMail({ smtpUrl, from, to: [input.to], message });
  return outcome.kind === "delivered" ? { delivered: true } : { delivered: false, error: outcome.error };
}
