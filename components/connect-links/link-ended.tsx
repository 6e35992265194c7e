import { Card } from "@/components/ui/card";

type EndedStatus = "used" | "expired" | "revoked" | "failed" | "unknown" | "unavailable";

const TEXT: Record<EndedStatus, { title: string; body: string }> = {
  used: { title: "This link has already been used", body: "Someone completed the authorization with it, and a link works only once." },
  expired: { title: "This link has expired", body: "Links stay valid for a limited time, and this one's has passed." },
  revoked: { title: "This link was withdrawn", body: "The person who sent it revoked it, or replaced it with a newer link." },
  failed: { title: "This link can no longer be used", body: "An earlier authorization through it did not succeed, so it was closed." },
  unknown: { title: "This link does not exist", body: "Check that the whole address was copied; some mail programs cut long links." },
  unavailable: { title: "This link cannot be used right now", body: "The console that sent it can no longer start an authorization with it." },
};

/** Plain pages for a link that cannot be used: what happened and whom to ask, nothing else. */
export function LinkEnded({ status, requestedBy }: { status: EndedStatus; requestedBy: string | null }) {
  const { title, body } = TEXT[status];
  const ask = requestedBy ? `Ask ${requestedBy}, who sent it, for a new link.` : "Ask the person who sent it for a new link.";
  return (
    <Card className="p-6">
      <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
      <p className="mt-2 text-sm text-slate-600">{body}</p>
      <p className="mt-2 text-sm text-slate-600">{status === "used" ? "Nothing more is needed from you. You can close this tab." : ask}</p>
    </Card>
  );
}

export function TooManyRequests({ retryAfterSec }: { retryAfterSec: number }) {
  return (
    <Card className="p-6">
      <h1 className="text-lg font-semibold text-slate-900">Too many requests</h1>
      <p className="mt-2 text-sm text-slate-600">
        This link was opened too often in a short time. Wait {retryAfterSec} second{retryAfterSec === 1 ? "" : "s"} and reload the page.
      </p>
    </Card>
  );
}
