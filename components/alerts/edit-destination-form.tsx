"use client";
import { updateDestinationAction } from "@/app/(dashboard)/settings/alerts/actions";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { Card } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import type { DestinationDto } from "@/lib/alerts/destinations";
import { DestinationFields, type FilterChoices } from "./destination-fields";

export function EditDestinationForm({ destination: d, choices, smtpConfigured }: { destination: DestinationDto; choices: FilterChoices; smtpConfigured: boolean }) {
  // After a save the fields remount from the saved values, so a typed URL does not linger.
  const f = useActionForm(updateDestinationAction);
  const defaults = { kind: d.kind, name: d.name, emails: d.emails, events: d.events, clientId: d.client?.id ?? null, connectionId: d.connection?.id ?? null };

  return (
    <Card className="p-5">
      <form key={f.round} {...f.props} className="grid gap-5 md:grid-cols-2" aria-label="Edit destination">
        <input type="hidden" name="id" value={d.id} />
        <FormError failure={f.failure} className="md:col-span-2" />
        <DestinationFields defaults={defaults} choices={choices} errors={f.errors} urlHint={d.urlHint} smtpConfigured={smtpConfigured} />
        <div className="md:col-span-2">
          <SubmitButton pending={f.pending} pendingLabel="Saving…">Save changes</SubmitButton>
        </div>
      </form>
    </Card>
  );
}
