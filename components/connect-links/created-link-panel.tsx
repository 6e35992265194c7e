"use client";
import Link from "next/link";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { LocalDateTime } from "@/components/ui/local-time";
import type { IssuedLink } from "@/app/(dashboard)/connect-links/actions";
import { SendLinkEmail } from "./send-link-email";

/**
 * A connect link just made, shown this once with Copy, its expiry and, when the console can send
 * e-mail, a form to send it. The console keeps only the token's hash.
 */
export function CreatedLinkPanel({
  issued,
  title,
  expectedEmail,
  smtpConfigured,
  onDone,
}: {
  issued: IssuedLink;
  title: string;
  expectedEmail?: string | null;
  smtpConfigured: boolean;
  onDone: () => void;
}) {
  return (
    <OneTimeSecret
      id={`connect-link-${issued.id}`}
      testId="new-connect-link"
      title={title}
      label="Connect link"
      value={issued.url}
      warning="Copy it now: it is not shown again. Whoever holds it can grant these scopes until it expires, so send it only to the Zoho account's owner."
      doneLabel="I have sent it, hide the link"
      onDone={onDone}
    >
      <p className="w-full text-slate-700">
        Works until <LocalDateTime ms={issued.expiresAt} relative />, for one consent. Its progress shows under{" "}
        <Link href="/connect-links" className="font-medium text-indigo-600 hover:underline">
          Connect links
        </Link>
        .
      </p>
      {smtpConfigured ? (
        <SendLinkEmail linkId={issued.id} url={issued.url} defaultTo={expectedEmail} />
      ) : (
        <p className="w-full text-xs text-slate-600">
          To send links from the console by e-mail, set <code className="font-mono">SMTP_URL</code> in its environment.
        </p>
      )}
    </OneTimeSecret>
  );
}
