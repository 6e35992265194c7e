import "server-only";
import nodemailer from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport";
import type { DeliveryOutcome } from "./transport";

/**
 * One alert e-mail through the console's SMTP server (SMTP_URL). The URL comes from the
 * environment, not from admins, so it is trusted as an address; but it may carry a password,
 * which must never reach an outcome, a delivery row or a page.
 */

const HEAD_CHARS = 512;
const NETWORK_CODES = new Set(["ECONNREFUSED", "ETIMEDOUT", "ESOCKET", "ECONNECTION", "EDNS", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** host:port of an SMTP URL, never its user name or password; nodemailer's default ports. */
export function smtpServerName(smtpUrl: string): string {
  let url: URL;
  try {
    url = new URL(smtpUrl.trim());
  } catch {
    return "the configured SMTP server (SMTP_URL is not a valid URL)";
  }
  return `${url.hostname}:${url.port || (url.protocol === "smtps:" ? "465" : "587")}`;
}

type SmtpError = Error & { code?: string; responseCode?: number; response?: string; errors?: SmtpError[] };

/** Removes the URL's password from server text too: a server may echo what it was sent. */
function scrubber(smtpUrl: string): (text: string) => string {
  let secrets: string[] = [];
  try {
    const pass = new URL(smtpUrl.trim()).password;
    secrets = [pass, safeDecode(pass)].filter((s) => s.length >= 3);
  } catch {
    // unparseable: nothing of the URL is ever echoed
  }
  return (text) => secrets.reduce((t, s) => t.split(s).join("***"), text);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The socket-level cause, which nodemailer hides behind ESOCKET/ECONNECTION in `code`. */
function networkCause(err: SmtpError, timeoutMs: number): string {
  const seen = `${err.message} ${err.errors?.map((e) => `${e.code} ${e.message}`).join(" ") ?? ""}`;
  if (/ECONNREFUSED/.test(seen)) return "connection refused";
  if (err.code === "ETIMEDOUT" || /ETIMEDOUT|timeout/i.test(seen)) return `no answer within ${timeoutMs / 1000} s`;
  if (err.code === "EDNS" || /ENOTFOUND|EAI_AGAIN/.test(seen)) return "the host name could not be resolved (DNS)";
  if (/ECONNRESET/.test(seen)) return "connection reset";
  if (/EHOSTUNREACH|ENETUNREACH/.test(seen)) return "the host is unreachable";
  if (/certificate|SSL|TLS/i.test(seen)) return `TLS handshake failed (${err.message})`;
  return err.message;
}

function fromError(err: SmtpError, server: string, timeoutMs: number, latencyMs: number, scrub: (t: string) => string): DeliveryOutcome {
  const code = err.responseCode;
  if (code && code >= 400 && code < 600) {
    const said = (err.response ?? err.message).replace(/\s+/g, " ").slice(0, 300);
    const what = err.code === "EAUTH" ? "refused the login" : "refused the message";
    const error = scrub(`the SMTP server at ${server} ${what}: ${said}`);
    const responseHead = scrub(err.response ?? "").slice(0, HEAD_CHARS);
    return { kind: code >= 500 ? "final" : "retry", status: code, latencyMs, error, responseHead };
  }
  if (err.code && NETWORK_CODES.has(err.code)) {
    return { kind: "retry", latencyMs, error: scrub(`could not reach the SMTP server at ${server}: ${networkCause(err, timeoutMs)}`) };
  }
  // No server answer and no network trouble: the message or the configuration is wrong, and
  // sending it again would fail the same way.
  return { kind: "final", latencyMs, error: scrub(`the e-mail could not be sent through ${server}: ${err.message}`) };
}

/** Sends one alert e-mail; never throws. 2xx → delivered, 5xx → final, 4xx and network → retry. */
export async function sendAlertMail(opts: {
  smtpUrl: string;
  from: string;
  to: string[];
  message: { subject: string; text: string; html: string };
  timeoutMs?: number;
}): Promise<DeliveryOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const server = smtpServerName(opts.smtpUrl);
  const scrub = scrubber(opts.smtpUrl);
  if (!/^smtps?:\/\//i.test(opts.smtpUrl.trim()) || !URL.canParse(opts.smtpUrl.trim())) {
    return { kind: "final", latencyMs: elapsed(), error: "SMTP_URL must be smtp://host:port or smtps://user:password@host:465" };
  }
  if (opts.to.length === 0) return { kind: "final", latencyMs: elapsed(), error: "the destination has no e-mail addresses" };

  // A transport object, not the bare URL: createTransport(url) would parse the URL and drop
  // every other option, the timeouts included (nodemailer 8).
  const transporter = nodemailer.createTransport(
    new SMTPTransport({ url: opts.smtpUrl.trim(), connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs }),
  );
  try {
    const info = await transporter.sendMail({ from: opts.from, to: opts.to, ...opts.message });
    const status = Number(/^\d{3}/.exec(info.response ?? "")?.[0] ?? 250);
    // Some recipients refused while others accepted: delivered, but the admin should see who missed it.
    const refused = info.rejected.length ? ` (refused: ${info.rejected.map((r) => (typeof r === "string" ? r : r.address)).join(", ")})` : "";
    return { kind: "delivered", status, latencyMs: elapsed(), responseHead: scrub(`${info.response ?? ""}${refused}`).slice(0, HEAD_CHARS) };
  } catch (err) {
    return fromError(err as SmtpError, server, timeoutMs, elapsed(), scrub);
  } finally {
    transporter.close();
  }
}
