"use client";
import Link from "next/link";
import { useState, useTransition, type FormEvent } from "react";
import { toast } from "sonner";
import { createDestinationAction } from "@/app/(dashboard)/settings/alerts/actions";
import { Alert, Card } from "@/components/ui/card";
import { callAction } from "@/components/ui/call-action";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionResult } from "@/lib/actions";
import { DestinationFields, NEW_DESTINATION, type FilterChoices } from "./destination-fields";
import { SecretPanel } from "./secret-panel";

type Created = { id: number; secret: string; name: string };

export function CreateDestinationForm({ choices, smtpConfigured }: { choices: FilterChoices; smtpConfigured: boolean }) {
  const [pending, start] = useTransition();
  const [failure, setFailure] = useState<Extract<ActionResult, { ok: false }>>();
  const [created, setCreated] = useState<Created>();
  // A new round remounts the fields empty after a destination was added; a refusal keeps them as typed.
  const [round, setRound] = useState(0);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    const name = String(data.get("name") ?? "").trim();
    start(async () => {
      const result = await callAction(() => createDestinationAction(undefined, data));
      if (!result.ok) {
        setFailure(result);
        return;
      }
      setFailure(undefined);
      if (result.created) setCreated({ id: result.created.id, secret: result.created.key, name });
      else toast.success(result.message ?? "Destination added.");
      setRound((n) => n + 1);
    });
  };
  const errors = failure?.fieldErrors;

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
        <form key={round} onSubmit={onSubmit} noValidate className="grid gap-5 md:grid-cols-2" aria-label="Add a destination">
          {failure && !Object.values(errors ?? {}).includes(failure.error) && (
            <div className="md:col-span-2">
              <Alert>{failure.error}</Alert>
            </div>
          )}
          <DestinationFields defaults={NEW_DESTINATION} choices={choices} errors={errors} smtpConfigured={smtpConfigured} />
          <div className="md:col-span-2">
            <SubmitButton pending={pending} pendingLabel="Adding…">Add destination</SubmitButton>
          </div>
        </form>
      </Card>
    </div>
  );
}
