import Link from "next/link";
import { Card } from "@/components/ui/card";

/** What each kind of destination gets, so the admin can pick before filling the form. */
export function KindsExplained({ smtpConfigured }: { smtpConfigured: boolean }) {
  return (
    <Card className="p-5">
      <h2 className="text-sm font-semibold">The kinds of destination</h2>
      <dl className="mt-3 grid gap-4 text-sm md:grid-cols-3">
        <div>
          <dt className="font-medium text-slate-900">Webhook</dt>
          <dd className="mt-0.5 text-slate-600">
            A JSON POST per event, signed per{" "}
            <a href="https://www.standardwebhooks.com/" className="text-indigo-600 hover:underline" rel="noreferrer" target="_blank">
              Standard Webhooks
            </a>{" "}
            (webhook-id, webhook-timestamp, webhook-signature) with a <code className="font-mono text-xs">whsec_…</code> secret shown once.
            Failed deliveries are retried with backoff; the payloads are in the{" "}
            <Link href="/docs/api" className="text-indigo-600 hover:underline">API docs</Link>.
          </dd>
        </div>
        <div>
          <dt className="font-medium text-slate-900">Slack</dt>
          <dd className="mt-0.5 text-slate-600">
            A message to a Slack incoming webhook: one when an incident opens and one when it resolves, not one per failed refresh, plus
            the other events it takes.
          </dd>
        </div>
        <div>
          <dt className="font-medium text-slate-900">E-mail</dt>
          <dd className="mt-0.5 text-slate-600">
            The same messages as Slack, to up to 20 recipients. Needs <code className="font-mono text-xs">SMTP_URL</code> in the
            console&apos;s environment{smtpConfigured ? " (set)." : ": not set, so e-mail destinations cannot be added yet."}
          </dd>
        </div>
      </dl>
    </Card>
  );
}
