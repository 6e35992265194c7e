"use client";
import { useTransition } from "react";
import { toast } from "sonner";
import { issueAgainAction, revokeLinkAction, type IssuedLink } from "@/app/(dashboard)/connect-links/actions";
import { Button } from "@/components/ui/button";
import { callAction } from "@/components/ui/call-action";
import { ConfirmButton } from "@/components/ui/confirm-button";
import type { ConnectLinkDto } from "@/lib/connect-links/view";
import { isOpenLinkState } from "./link-words";

const idForm = (id: number) => {
  const fd = new FormData();
  fd.set("id", String(id));
  return fd;
};

/** Revoke (open links only, confirmed) and Issue again (confirmed when it ends an open link). */
export function LinkRowActions({
  link,
  onIssued,
  onChanged,
}: {
  link: ConnectLinkDto;
  onIssued: (issued: IssuedLink, from: ConnectLinkDto) => void;
  onChanged: () => void;
}) {
  const [revoking, startRevoke] = useTransition();
  const [issuing, startIssue] = useTransition();
  const busy = revoking || issuing;
  const open = isOpenLinkState(link.state);
  const which = <span className="sr-only"> the link for {link.connectionName}</span>;

  const revoke = () =>
    startRevoke(async () => {
      const r = await callAction(() => revokeLinkAction(idForm(link.id)));
      if (r.ok) toast.success(r.message ?? "Revoked.");
      else toast.error(r.error);
      onChanged();
    });
  const issueAgain = () =>
    startIssue(async () => {
      const r = await callAction(() => issueAgainAction(idForm(link.id)));
      if (r.ok && "issued" in r && r.issued) onIssued(r.issued, link);
      else if (!r.ok) toast.error(r.error, { duration: 10_000 });
      onChanged();
    });

  return (
    <div className="flex flex-col items-end gap-2 whitespace-nowrap">
      {open ? (
        <>
          <ConfirmButton
            label={<>{revoking ? "Revoking…" : "Revoke"}{which}</>}
            title={`Revoke the link for “${link.connectionName}”?`}
            confirmLabel="Revoke link"
            disabled={busy}
            onConfirm={revoke}
          >
            It stops working at once: whoever opens it sees that it was revoked. A consent already under way at Zoho is not
            completed. This cannot be undone; Issue again makes a new link with the same choices.
          </ConfirmButton>
          <ConfirmButton
            label={<>{issuing ? "Issuing…" : "Issue again"}{which}</>}
            title={`Issue a new link for “${link.connectionName}”?`}
            confirmLabel="Issue a new link"
            disabled={busy}
            onConfirm={issueAgain}
          >
            A new link with the same client, scopes and lifetime is shown once. This link stops working at once, so send the new one
            to its owner.
          </ConfirmButton>
        </>
      ) : (
        <Button size="sm" variant="secondary" onClick={issueAgain} disabled={busy} aria-busy={issuing || undefined}>
          {issuing ? "Issuing…" : "Issue again"}
          {which}
        </Button>
      )}
    </div>
  );
}
