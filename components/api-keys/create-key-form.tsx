"use client";
import { useState, useTransition, type FormEvent } from "react";
import { createKey } from "@/app/(dashboard)/settings/api-keys/actions";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert, Card } from "@/components/ui/card";
import { callAction } from "@/components/ui/call-action";
import type { ActionResult } from "@/lib/actions";
import type { ConnectionChoice } from "./form-helpers";
import { KeyFields, NEW_KEY_DEFAULTS } from "./key-fields";
import { NewKeyPanel } from "./new-key-panel";

type Created = { id: number; key: string; name: string };

export function CreateKeyForm({ choices, defaultRateLimit }: { choices: ConnectionChoice[]; defaultRateLimit: number }) {
  const [pending, start] = useTransition();
  const [failure, setFailure] = useState<Extract<ActionResult, { ok: false }>>();
  const [created, setCreated] = useState<Created>();
  // A new round remounts the fields empty after a key was made; a refusal keeps them as typed.
  const [round, setRound] = useState(0);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = String(data.get("name") ?? "").trim();
    start(async () => {
      const result = await callAction(() => createKey(undefined, data));
      if (!result.ok) {
        setFailure(result);
        return;
      }
      setFailure(undefined);
      if (result.created) setCreated({ ...result.created, name });
      setRound((n) => n + 1);
    });
  };
  const errors = failure?.fieldErrors;

  return (
    <div className="space-y-4">
      {created && <NewKeyPanel id={created.id} apiKey={created.key} name={created.name} onDone={() => setCreated(undefined)} />}
      <Card className="p-5">
        <h2 className="text-sm font-semibold">Create an API key</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">One key per service, so each can be limited, watched and revoked on its own.</p>
        <form key={round} onSubmit={onSubmit} noValidate className="grid gap-5 md:grid-cols-2">
          {failure && !Object.values(errors ?? {}).includes(failure.error) && (
            <div className="md:col-span-2">
              <Alert>{failure.error}</Alert>
            </div>
          )}
          <KeyFields defaults={NEW_KEY_DEFAULTS} choices={choices} errors={errors} defaultRateLimit={defaultRateLimit} />
          <div className="md:col-span-2">
            <SubmitButton pending={pending} pendingLabel="Creating…">Create key</SubmitButton>
          </div>
        </form>
      </Card>
    </div>
  );
}
