"use client";
import { Link2 } from "lucide-react";
import { useId, useRef, useState, useTransition, type FormEvent } from "react";
import { createReconnectLinkAction, type IssuedLink } from "@/app/(dashboard)/connect-links/actions";
import { Button } from "@/components/ui/button";
import { callAction } from "@/components/ui/call-action";
import { Alert } from "@/components/ui/card";
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
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  const [issued, setIssued] = useState<IssuedLink>();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    data.set("connectionId", String(connectionId));
    start(async () => {
      const r = await callAction(() => createReconnectLinkAction(data));
      if (!r.ok) {
        setError(("fieldErrors" in r ? r.fieldErrors?.lifetimeMinutes : undefined) ?? r.error);
        return;
      }
      setError(undefined);
      if ("issued" in r && r.issued) setIssued(r.issued);
    });
  };
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
          setError(undefined);
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
            <form onSubmit={onSubmit} noValidate aria-label="Create a reconnect link" className="mt-2 space-y-4">
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
              <LifetimeField />
              {error && <Alert>{error}</Alert>}
              <div className="flex justify-end gap-2">
                <Button variant="secondary" onClick={close}>
                  Cancel
                </Button>
                <SubmitButton pending={pending} pendingLabel="Creating…">
                  Create link
                </SubmitButton>
              </div>
            </form>
          )}
        </div>
      </dialog>
    </>
  );
}
