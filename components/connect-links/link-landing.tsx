import { Card } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { LocalDateTime } from "@/components/ui/local-time";
import { describeScopes } from "@/lib/connect-links/describe";
import type { PublicLinkView } from "@/lib/connect-links/public";
import { DC_LABELS } from "@/lib/zoho";

/**
 * What the link's owner reads before consenting: who asks, for which Zoho services and what each
 * permission allows, what happens next, until when the link works, and one button. A form POST,
 * not a link: opening the page must not start anything.
 */
export function LinkLanding({ link, continueUrl }: { link: PublicLinkView; continueUrl: string }) {
  const services = describeScopes(link.scopes);
  const who = link.requestedBy ?? "A team using the Zoho OAuth Console";
  return (
    <Card className="p-6">
      <h1 className="text-lg font-semibold text-slate-900">{who} asks for access to your Zoho account</h1>
      <p className="mt-2 text-sm text-slate-600">
        {link.kind === "reconnect"
          ? "An existing connection to your Zoho account stopped working. Authorizing again restores it with the same permissions."
          : "They want to connect their Zoho OAuth Console to your Zoho account, with the permissions below. You keep your Zoho password; they receive a token you can revoke at any time in Zoho (Connected Apps)."}
      </p>
      {link.expectedEmail && (
        <p className="mt-2 text-sm text-slate-600">
          Sign in at Zoho as <strong className="font-medium text-slate-900">{link.expectedEmail}</strong>; another Zoho user will be refused.
        </p>
      )}

      <h2 className="mt-6 text-sm font-semibold text-slate-900">What they may do</h2>
      <ul className="mt-2 space-y-4">
        {services.map((s) => (
          <li key={s.id}>
            <p className="text-sm font-medium text-slate-900">{s.name}</p>
            <ul className="mt-1 space-y-1 text-sm text-slate-600">
              {s.scopes.map((scope) => (
                <li key={scope.scope}>
                  {scope.allows}
                  {scope.broad && <span className="ml-1 text-amber-700">(every operation)</span>}{" "}
                  <code className="text-xs text-slate-500">{scope.scope}</code>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {link.accessType === "offline" && (
        <p className="mt-4 text-sm text-slate-600">The access continues after you close this page, until you or they revoke it.</p>
      )}

      <h2 className="mt-6 text-sm font-semibold text-slate-900">What happens next</h2>
      <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm text-slate-600">
        <li>You sign in at Zoho ({DC_LABELS[link.startLocation]} data centre, or the one your account lives in) and review the permissions.</li>
        <li>If your account has several organisations or portals, you choose the one to connect.</li>
        <li>A last page confirms it; then you can close the tab.</li>
      </ol>

      <p className="mt-6 text-sm text-slate-600">
        This link works until <LocalDateTime ms={link.expiresAt} />.
      </p>
      <form method="post" action={continueUrl} className="mt-4">
        <button type="submit" className={buttonClass("primary")}>
          Continue to Zoho
        </button>
      </form>
    </Card>
  );
}
