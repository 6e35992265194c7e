"use client";
import { Link2 } from "lucide-react";
import { useId, useRef, useState } from "react";
import { createReconnectLinkAction, type IssuedLink } from "@/app/(dashboard)/connect-links/actions";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import { CreatedLinkPanel } from "./created-link-panel";
import { LifetimeField } from "./lifetime-field";

/**
 * "Reconnect link" beside Reconnect, for a connection that needs a new consent: a link its Zoho
 * user opens without a console account; their consent replaces this connection's tokens. A
 * native <dialog> as in ConfirmButton; the link lives only in this component until it closes.
 */
export function ReconnectLinkButton({
  connectionId,
  connectionName,
  zohoEmail,
  smtpConfigured,
  disabled,
}: {
  connectionId: number;
  connectionName: string;
  zohoEmail: string | null;
  smtpConfigured: boolean;
  disabled?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [issued, setIssued] = useState<IssuedLink>();
  // Each opening starts a fresh form: no refusal from an earlier try.
  const [opening, setOpening] = useState(0);
  const close = () => dialog.current?.close();

  return (
    <>
      <Button size="sm" variant="secondary" disabled={disabled} onClick={() => dialog.current?.showModal()}>
        <Link2 className="h-3.5 w-3.5" aria-hidden />
        Reconnect link
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onClose={() => {
          // Closed by Escape, Cancel or Done: the link is gone from this page for good.
          setIssued(undefined);
          setOpening((n) => n + 1);
        }}
        className="m-auto w-full max-w-xl rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="p-5">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            Reconnect link for “{connectionName}”
          </h2>
          {issued ? (
            <div className="mt-3">
              <CreatedLinkPanel
                issued={issued}
                title="Reconnect link created"
                expectedEmail={zohoEmail}
                smtpConfigured={smtpConfigured}
                onDone={close}
              />
            </div>
          ) : (
            <ReconnectLinkForm key={opening} connectionId={connectionId} zohoEmail={zohoEmail} onIssued={setIssued} onCancel={close} />
          )}
        </div>
      </dialog>
    </>
  );
}

function ReconnectLinkForm({
  connectionId,
  zohoEmail,
  onIssued,
  onCancel,
}: {
  connectionId: number;
  zohoEmail: string | null;
  onIssued: (issued: IssuedLink) => void;
  onCancel: () => void;
}) {
  const f = useActionForm(createReconnectLinkAction, {
    onSuccess: (result) => {
      if (result.issued) onIssued(result.issued);
    },
  });
  return (
    <form key={f.round} {...f.props} aria-label="Create a reconnect link" className="mt-2 space-y-4">
      <FormError failure={f.failure} />
      <input type="hidden" name="connectionId" value={connectionId} />
      <p className="text-sm text-slate-600">
        For when the Zoho user who consented is not a console user. They open the link, read what it asks for and approve at
        Zoho; their consent replaces this connection&apos;s tokens, keeping its name, id, organisation binding and history.
        {zohoEmail ? (
          <>
            {" "}
            Only <strong className="font-medium text-slate-800">{zohoEmail}</strong> may complete it.
          </>
        ) : (
          " Only the connection's own Zoho user may complete it."
        )}
      </p>
      <LifetimeField error={f.errors?.lifetimeMinutes} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <SubmitButton pending={f.pending} pendingLabel="Creating…">
          Create link
        </SubmitButton>
      </div>
    </form>
  );
}
