"use client";
import { useState } from "react";
import { sendLinkEmailAction } from "@/app/(dashboard)/connect-links/actions";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { Alert } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";

/**
 * Sends the link just shown to its owner through the console's SMTP server. The address travels
 * from this component's props to the action and back into the message; nothing keeps it.
 */
export function SendLinkEmail({ linkId, url, defaultTo }: { linkId: number; url: string; defaultTo?: string | null }) {
  // Said here rather than in a toast: it belongs to the link panel it sits in.
  const [sent, setSent] = useState<string>();
  const f = useActionForm(sendLinkEmailAction, { onSuccess: (result) => setSent(result.message) });
  const toError = f.errors?.to;
  return (
    <form key={f.round} {...f.props} aria-label="Send the link by e-mail" className="w-full space-y-2 border-t border-emerald-200 pt-3">
      <FormError failure={f.failure} />
      <input type="hidden" name="id" value={linkId} />
      <input type="hidden" name="url" value={url} />
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-64 flex-1">
          <Field label="Send by e-mail to" name="to" error={toError} hint="A plain message: who asks, through which client, for what, the link and until when.">
            <TextInput name="to" type="email" autoComplete="off" defaultValue={defaultTo ?? ""} placeholder="owner@example.com" maxLength={254} error={toError} />
          </Field>
        </div>
        <SubmitButton pending={f.pending} pendingLabel="Sending…" variant="secondary">
          Send by e-mail
        </SubmitButton>
      </div>
      <div aria-live="polite">{sent && !f.failure && <Alert tone="green">{sent}</Alert>}</div>
    </form>
  );
}
