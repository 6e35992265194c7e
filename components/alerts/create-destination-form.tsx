"use client";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { createDestinationAction } from "@/app/(dashboard)/settings/alerts/actions";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { Card } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import { DestinationFields, NEW_DESTINATION, type FilterChoices } from "./destination-fields";
import { SecretPanel } from "./secret-panel";

type Created = { id: number; secret: string; name: string };

export function CreateDestinationForm({ choices, smtpConfigured }: { choices: FilterChoices; smtpConfigured: boolean }) {
  const [created, setCreated] = useState<Created>();
  // A webhook's signing secret is shown once, in a panel; other kinds say it in a toast.
  const f = useActionForm(createDestinationAction, {
    onSuccess: (result, data) => {
      if (result.created) setCreated({ id: result.created.id, secret: result.created.key, name: String(data.get("name") ?? "").trim() });
      else toast.success(result.message ?? "Destination added.");
    },
  });

  return (
    <div className="space-y-4">
      {created && (
        <SecretPanel
          title={`Webhook “${created.name}” added`}
          secret={created.secret}
          onDone={() => setCreated(undefined)}
          note={
            <Link href={`/settings/alerts/${created.id}`} className="font-medium text-indigo-600 hover:underline">
              Open the destination to send a test
            </Link>
          }
        />
      )}
      <Card className="p-5">
        <h2 className="text-sm font-semibold">Add a destination</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">Where the console tells people and systems that something needs them.</p>
        <form key={f.round} {...f.props} className="grid gap-5 md:grid-cols-2" aria-label="Add a destination">
          <FormError failure={f.failure} className="md:col-span-2" />
          <DestinationFields defaults={NEW_DESTINATION} choices={choices} errors={f.errors} smtpConfigured={smtpConfigured} />
          <div className="md:col-span-2">
            <SubmitButton pending={f.pending} pendingLabel="Adding…">Add destination</SubmitButton>
          </div>
        </form>
      </Card>
    </div>
  );
}
