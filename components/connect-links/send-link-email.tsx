"use client";
import { useState, useTransition, type FormEvent } from "react";
import { sendLinkEmailAction } from "@/app/(dashboard)/connect-links/actions";
import { Alert } from "@/components/ui/card";
import { callAction } from "@/components/ui/call-action";
import { Field, TextInput } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionResult } from "@/lib/actions";

/**
 * Sends the link just shown to its owner through the console's SMTP server. The address travels
 * from this component's props to the action and back into the message; nothing keeps it.
 */
export function SendLinkEmail({ linkId, url, defaultTo }: { linkId: number; url: string; defaultTo?: string | null }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult>();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    data.set("id", String(linkId));
    data.set("url", url);
    start(async () => setResult(await callAction(() => sendLinkEmailAction(data))));
  };
  const toError = result && !result.ok ? result.fieldErrors?.to : undefined;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Send the link by e-mail" className="w-full space-y-2 border-t border-emerald-200 pt-3">
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-64 flex-1">
          <Field label="Send by e-mail to" name="to" error={toError} hint="A plain message: who asks, through which client, for what, the link and until when.">
            <TextInput name="to" type="email" autoComplete="off" defaultValue={defaultTo ?? ""} placeholder="owner@example.com" maxLength={254} error={toError} />
          </Field>
        </div>
        <SubmitButton pending={pending} pendingLabel="Sending…" variant="secondary">
          Send by e-mail
        </SubmitButton>
      </div>
      <div aria-live="polite">
        {result?.ok && <Alert tone="green">{result.message}</Alert>}
        {result && !result.ok && result.error !== toError && <Alert>{result.error}</Alert>}
      </div>
    </form>
  );
}
