import type { AlertPayload } from "./events";
import { alertContent, type AlertContent } from "./render-slack";

/**
 * The e-mail form of an alert: the same words as the Slack message (alertContent), as plain text
 * and as a small HTML page. Mail clients strip <style> and block remote content, so the HTML uses
 * inline styles only and loads nothing.
 */

const FOOTER = "Alert destinations are managed under Settings → Alerts in the Zoho OAuth console.";

const html = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

// A link is only a link when it is http(s): a javascript: or data: URL must never become an href.
const isWebUrl = (url: string) => /^https?:\/\//i.test(url);

function plainText(c: AlertContent): string {
  const parts = [c.title, "", "What happened", c.happened];
  if (c.facts.length) parts.push("", ...c.facts.map(([label, value]) => `${label}: ${value}`));
  for (const l of c.lists) {
    parts.push("", l.heading, ...l.items.map((i) => `- ${i.text}`), ...(l.more ? [`and ${l.more} more`] : []));
  }
  parts.push("", "What to do", c.action, "", ...c.links.map((l) => `${l.label}: ${l.url}`));
  parts.push("", "--", `Event ${c.type} · ${c.time}`, FOOTER);
  return `${parts.join("\n")}\n`;
}

const H2 = "font-size:14px;margin:20px 0 6px;color:#1f2328";
const P = "margin:0;font-size:14px;line-height:1.5";

function htmlBody(c: AlertContent): string {
  const link = (text: string, url: string, style = "color:#0969da") =>
    isWebUrl(url) ? `<a href="${html(url)}" style="${style}">${html(text)}</a>` : html(text);
  const facts = c.facts.length
    ? `<table role="presentation" style="border-collapse:collapse;margin-top:12px;font-size:14px">${c.facts
        .map(([label, value]) => `<tr><td style="padding:2px 16px 2px 0;color:#57606a;vertical-align:top;white-space:nowrap">${html(label)}</td><td style="padding:2px 0">${html(value)}</td></tr>`)
        .join("")}</table>`
    : "";
  const lists = c.lists
    .map((l) => {
      const items = l.items.map((i) => `<li>${link(i.text, i.url)}</li>`);
      if (l.more) items.push(`<li style="color:#57606a">and ${l.more} more</li>`);
      return `<h2 style="${H2}">${html(l.heading)}</h2><ul style="${P};padding-left:20px">${items.join("")}</ul>`;
    })
    .join("");
  const button = "display:inline-block;background:#0969da;color:#ffffff;padding:8px 14px;border-radius:6px;text-decoration:none;font-size:14px";
  const buttons = c.links.map((l) => link(l.label, l.url, button)).join("&nbsp;&nbsp;");
  return [
    `<!doctype html><html><head><meta charset="utf-8"><title>${html(c.title)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f6f8fa;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2328">`,
    `<div style="max-width:640px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:6px;padding:24px">`,
    `<h1 style="font-size:18px;margin:0 0 12px">${html(c.title)}</h1>`,
    `<h2 style="${H2}">What happened</h2><p style="${P}">${html(c.happened)}</p>`,
    facts,
    lists,
    `<h2 style="${H2}">What to do</h2><p style="${P}">${html(c.action)}</p>`,
    `<p style="margin:20px 0 0">${buttons}</p>`,
    `<p style="margin:24px 0 0;font-size:12px;color:#57606a">This is a <code>${html(c.type)}</code> alert, sent ${html(c.time)}. ${html(FOOTER)}</p>`,
    `</div></body></html>`,
  ].join("\n");
}

export function emailMessage(payload: AlertPayload): { subject: string; text: string; html: string } {
  const c = alertContent(payload);
  // One line whatever the names contain: a line break in a header would start a new header.
  const subject = `[Zoho console] ${c.short}`.replace(/[\r\n\t]+/g, " ").slice(0, 200);
  return { subject, text: plainText(c), html: htmlBody(c) };
}
