"use client";
import { useState } from "react";
import { exchangeSelfClientAction } from "@/app/(dashboard)/connections/self-client/actions";
import { ScopePicker } from "@/components/scopes/scope-picker";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Card } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import type { WizardClient } from "@/lib/authorization/queries";
import { DC_LABELS } from "@/lib/zoho/data-centres";
import { CODE_MINUTES, CodeValidity, type CodeMinutes } from "./code-validity";
import { WizardStep } from "./wizard-step";

export function SelfClientForm({ clients, defaults }: { clients: WizardClient[]; defaults: { clientRef?: number; scopes: string[]; name?: string } }) {
  const f = useActionForm(exchangeSelfClientAction);
  const errors = f.errors;
  const [clientRef, setClientRef] = useState(defaults.clientRef || clients[0]?.id);
  // Controlled, for the code's countdown below.
  const [code, setCode] = useState("");
  const [pastedAt, setPastedAt] = useState<number | null>(null);
  const [minutes, setMinutes] = useState<CodeMinutes>(3);
  const client = clients.find((c) => c.id === clientRef);

  const onCode = (next: string) => {
    if (next.trim() && next.trim() !== code.trim()) setPastedAt(Date.now());
    if (!next.trim()) setPastedAt(null);
    setCode(next);
  };

  return (
    <form key={f.round} {...f.props}>
      <Card>
        <FormError failure={f.failure} className="mx-5 mt-5" />
        <WizardStep
          n={1}
          title="Code"
          hint={
            <>
              In Zoho&apos;s API console: Self Client → Generate Code, and paste it here first: it works once and lives 3, 5, 7 or 10 minutes, as chosen there.
              The organisation picked there travels with the code: nothing to choose here.
            </>
          }
        >
          <div className="grid gap-4 md:grid-cols-[1fr_12rem]">
            <Field label="Grant code" name="code" error={errors?.code} hint="1000.… — exchanged at once on the server and never stored.">
              <TextInput
                name="code"
                autoFocus
                value={code}
                onChange={(e) => onCode(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
                required
                error={errors?.code}
              />
            </Field>
            <Field label="Time duration chosen in Zoho" name="codeMinutes">
              <Select name="codeMinutes" value={minutes} onChange={(e) => setMinutes(Number(e.target.value) as CodeMinutes)}>
                {CODE_MINUTES.map((m) => (
                  <option key={m} value={m}>
                    {m} minutes
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          {pastedAt !== null && <CodeValidity key={pastedAt} pastedAt={pastedAt} minutes={minutes} />}
        </WizardStep>
        <WizardStep n={2} title="Self client and data centre" hint="A self client lives in one data centre; its codes are exchanged there.">
          <div className="grid gap-4 md:grid-cols-2">
            <Field label="Self client" name="clientRef" error={errors?.clientRef}>
              <Select name="clientRef" value={clientRef} onChange={(e) => setClientRef(Number(e.target.value))} error={errors?.clientRef}>
                {clients.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Data centre" name="location" error={errors?.location}>
              <Select name="location" key={clientRef} defaultValue={client?.homeDc} error={errors?.location}>
                {(client?.enabledDcs ?? []).map((dc) => (
                  <option key={dc} value={dc}>
                    {dc} — {DC_LABELS[dc]}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        </WizardStep>
        <WizardStep n={3} title="Scopes" hint="Exactly the scopes entered in Zoho's console when the code was generated.">
          <ScopePicker name="scopes" defaultValue={defaults.scopes} />
          {errors?.scopes && (
            <p role="alert" className="text-xs font-medium text-red-600">
              {errors.scopes}
            </p>
          )}
        </WizardStep>
        <WizardStep n={4} title="Name" hint="How people and services will recognise this connection.">
          <Field label="Connection name" name="name" error={errors?.name}>
            <TextInput name="name" defaultValue={defaults.name} maxLength={80} required error={errors?.name} />
          </Field>
        </WizardStep>
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 bg-slate-50 px-5 py-4">
          <p className="text-xs text-slate-600">
            If Zoho answers <code>invalid_code</code>, the code expired or was already used: generate a new one and paste it right away.
          </p>
          <SubmitButton pending={f.pending} pendingLabel="Exchanging…">
            Exchange code
          </SubmitButton>
        </div>
      </Card>
    </form>
  );
}
