"use client";
import { useState, useTransition, type FormEvent } from "react";
import { toast } from "sonner";
import { updateDestinationAction } from "@/app/(dashboard)/settings/alerts/actions";
import { Alert, Card } from "@/components/ui/card";
import { callAction } from "@/components/ui/call-action";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionResult } from "@/lib/actions";
import type { DestinationDto } from "@/lib/alerts/destinations";
import { DestinationFields, type FilterChoices } from "./destination-fields";

export function EditDestinationForm({ destination: d, choices, smtpConfigured }: { destination: DestinationDto; choices: FilterChoices; smtpConfigured: boolean }) {
  const [pending, start] = useTransition();
  const [failure, setFailure] = useState<Extract<ActionResult, { ok: false }>>();
  // After a save the fields remount from the saved values, so a typed URL does not linger.
  const [round, setRound] = useState(0);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    start(async () => {
      const result = await callAction(() => updateDestinationAction(undefined, data));
      if (!result.ok) {
        setFailure(result);
        return;
      }
      setFailure(undefined);
      toast.success(result.message ?? "Saved.");
      setRound((n) => n + 1);
    });
  };
  const errors = failure?.fieldErrors;
  const defaults = { kind: d.kind, name: d.name, emails: d.emails, events: d.events, clientId: d.client?.id ?? null, connectionId: d.connection?.id ?? null };

  return (
    <Card className="p-5">
      <form key={round} onSubmit={onSubmit} noValidate className="grid gap-5 md:grid-cols-2" aria-label="Edit destination">
        <input type="hidden" name="id" value={d.id} />
        {failure && !Object.values(errors ?? {}).includes(failure.error) && (
          <div className="md:col-span-2">
            <Alert>{failure.error}</Alert>
          </div>
        )}
        <DestinationFields defaults={defaults} choices={choices} errors={errors} urlHint={d.urlHint} smtpConfigured={smtpConfigured} />
        <div className="md:col-span-2">
          <SubmitButton pending={pending} pendingLabel="Saving…">Save changes</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
