"use client";
import { useState } from "react";
import { startConnection } from "@/app/(dashboard)/connections/new/actions";
import { ScopePicker } from "@/components/scopes/scope-picker";
import { FormError, useActionForm, type Failure } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Card } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import type { WizardClient } from "@/lib/authorization/queries";
import type { AccessType } from "@/lib/zoho/authorize-url";
import { AccessTypeChoice } from "./access-type-choice";
import { ClientChoice } from "./client-choice";
import { ProfileScopeToggle } from "./profile-scope-toggle";
import { WizardStep } from "./wizard-step";

interface WizardDefaults {
  clientRef?: number;
  scopes?: string[];
  name?: string;
  accessType?: AccessType;
}

/** Client → scopes → access type → name → Authorize: one form, one click to Zoho. */
export function ConnectWizard({ clients, defaults }: { clients: WizardClient[]; defaults: WizardDefaults }) {
  const f = useActionForm(startConnection);
  const [clientRef, setClientRef] = useState<number | undefined>(defaults.clientRef ?? (clients.length === 1 ? clients[0].id : undefined));
  const errors = f.errors;
  // The server's "choose a scope" message goes away as soon as a scope is picked.
  const [picked, setPicked] = useState<{ after: Failure | undefined; scopes: string[] }>();
  const scopeError = errors?.scopes && !(picked !== undefined && picked.after === f.failure && picked.scopes.length > 0) ? errors.scopes : undefined;
  return (
    <form key={f.round} {...f.props}>
      <Card>
        <FormError failure={f.failure} className="mx-5 mt-5" />
        <WizardStep n={1} title="Client" hint="The Zoho client registered for this job. Consent starts in its data centre.">
          <ClientChoice clients={clients} value={clientRef} onChange={setClientRef} error={errors?.clientRef} evictionError={errors?.acceptEviction} />
        </WizardStep>
        <WizardStep n={2} title="Scopes" hint="Only what the job needs. Organisations are discovered after consent.">
          <ScopePicker name="scopes" defaultValue={defaults.scopes ?? []} onChange={(chosen) => setPicked({ after: f.failure, scopes: chosen })} />
          {scopeError && (
            <p role="alert" className="text-xs font-medium text-red-600">
              {scopeError}
            </p>
          )}
          <ProfileScopeToggle defaultChecked />
        </WizardStep>
        <WizardStep n={3} title="Access type">
          <AccessTypeChoice defaultValue={defaults.accessType ?? "offline"} />
        </WizardStep>
        <WizardStep n={4} title="Name" hint="How people and services will recognise this connection.">
          <Field label="Connection name" name="name" error={errors?.name}>
            <TextInput
              name="name"
              defaultValue={defaults.name}
              placeholder="e.g. EU support — SalesIQ chats"
              maxLength={80}
              required
              error={errors?.name}
            />
          </Field>
        </WizardStep>
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 bg-slate-50 px-5 py-4">
          <p className="text-xs text-slate-600">
            You will sign in to Zoho and approve the scopes there. The code comes back to this console, which exchanges it on the server.
          </p>
          <SubmitButton pending={f.pending} pendingLabel="Opening Zoho…">
            Authorize in Zoho
          </SubmitButton>
        </div>
      </Card>
    </form>
  );
}
