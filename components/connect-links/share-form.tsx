"use client";
import { useState } from "react";
import { createLinkAction, type IssuedLink } from "@/app/(dashboard)/connect-links/actions";
import { AccessTypeChoice } from "@/components/authorization/access-type-choice";
import { ClientChoice } from "@/components/authorization/client-choice";
import { WizardStep } from "@/components/authorization/wizard-step";
import { ScopePicker } from "@/components/scopes/scope-picker";
import { FormError, useActionForm, type Failure } from "@/components/ui/action-form";
import { Card } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { WizardClient } from "@/lib/authorization/queries";
import { DC_LABELS, type DcLocation } from "@/lib/zoho/data-centres";
import { PROFILE_SCOPE } from "@/lib/zoho/scope-string";
import { CreatedLinkPanel } from "./created-link-panel";
import { LifetimeField } from "./lifetime-field";

type Created = { issued: IssuedLink; name: string; expectedEmail: string | null };

/** Where consent starts when the form leaves it empty: as the server decides (lib/connect-links/links.ts). */
function serverStart(c: WizardClient): DcLocation {
  const start = c.multiDc && c.homeDc !== "cn" ? "us" : c.homeDc;
  return c.enabledDcs.includes(start) ? start : c.homeDc;
}

/**
 * Client → scopes → access type → name and owner → start and lifetime → Create link. The same
 * client choice, scope picker and access type as the connect wizard; the link is shown once.
 */
export function ShareForm({ clients, smtpConfigured, defaultClientRef }: { clients: WizardClient[]; smtpConfigured: boolean; defaultClientRef?: number }) {
  const [created, setCreated] = useState<Created>();
  const f = useActionForm(createLinkAction, {
    onSuccess: (result, data) => {
      const name = String(data.get("name") ?? "").trim();
      const expectedEmail = String(data.get("expectedEmail") ?? "").trim() || null;
      if (result.issued) setCreated({ issued: result.issued, name, expectedEmail });
    },
  });
  const failure = f.failure;
  const [clientRef, setClientRef] = useState<number | undefined>(defaultClientRef ?? (clients.length === 1 ? clients[0].id : undefined));
  // The server's "choose a scope" message goes away as soon as a scope is picked.
  const [picked, setPicked] = useState<{ after: Failure | undefined; count: number }>();
  const client = clients.find((c) => c.id === clientRef);
  const errors = f.errors;
  const scopeError = errors?.scopes && !(picked && picked.after === failure && picked.count > 0) ? errors.scopes : undefined;

  if (created) {
    return (
      <CreatedLinkPanel
        issued={created.issued}
        title={`Connect link for “${created.name}” created`}
        expectedEmail={created.expectedEmail}
        smtpConfigured={smtpConfigured}
        onDone={() => setCreated(undefined)}
      />
    );
  }

  return (
    <form key={f.round} {...f.props} aria-label="Share a connect link">
      <Card>
        <FormError failure={failure} className="mx-5 mt-5" />
        <WizardStep n={1} title="Client" hint="A server-based client: its consent page is where the link's owner approves.">
          <ClientChoice clients={clients} value={clientRef} onChange={setClientRef} error={errors?.clientRef} />
        </WizardStep>
        <WizardStep n={2} title="Scopes" hint="Only what the job needs. The owner sees each in plain words before going to Zoho.">
          <ScopePicker name="scopes" onChange={(chosen) => setPicked({ after: failure, count: chosen.length })} />
          {scopeError && (
            <p role="alert" className="text-xs font-medium text-red-600">
              {scopeError}
            </p>
          )}
          <p className="text-xs text-slate-600">
            <code className="font-mono">{PROFILE_SCOPE}</code> is always added: nobody from the console watches the consent, so the console
            learns from it which Zoho user completed the link.
          </p>
        </WizardStep>
        <WizardStep n={3} title="Access type">
          <AccessTypeChoice />
        </WizardStep>
        <WizardStep n={4} title="Connection and owner" hint="The connection the owner's consent makes, and who may give it.">
          <Field label="Connection name" name="name" error={errors?.name}>
            <TextInput name="name" placeholder="e.g. Acme — Desk tickets" maxLength={80} required error={errors?.name} />
          </Field>
          <Field
            label="Zoho user's e-mail (optional)"
            name="expectedEmail"
            error={errors?.expectedEmail}
            hint="Only this Zoho user may complete the link; another is refused. Leave empty to let whoever opens it consent."
          >
            <TextInput name="expectedEmail" type="email" autoComplete="off" placeholder="owner@example.com" maxLength={254} error={errors?.expectedEmail} />
          </Field>
        </WizardStep>
        <WizardStep n={5} title="Start and lifetime">
          <div className="grid gap-4 md:grid-cols-2">
            <Field
              label="Data centre where consent starts"
              name="startLocation"
              error={errors?.startLocation}
              hint={client ? "Zoho sends the owner on to the data centre their account lives in." : "Choose a client first."}
            >
              <Select key={clientRef ?? "none"} name="startLocation" defaultValue="" disabled={!client} error={errors?.startLocation}>
                <option value="">{client ? `Let the console decide (${DC_LABELS[serverStart(client)]})` : "Let the console decide"}</option>
                {client?.enabledDcs.map((dc) => (
                  <option key={dc} value={dc}>
                    {DC_LABELS[dc]}
                  </option>
                ))}
              </Select>
            </Field>
            <LifetimeField error={errors?.lifetimeMinutes} hint="After that it no longer opens; Issue again makes a new one." />
          </div>
        </WizardStep>
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 bg-slate-50 px-5 py-4">
          <p className="max-w-xl text-xs text-slate-600">
            The link is shown once, to copy or send. Its owner needs no console account: they read what it asks for, then sign in at
            Zoho and approve.
          </p>
          <SubmitButton pending={f.pending} pendingLabel="Creating…">
            Create link
          </SubmitButton>
        </div>
      </Card>
    </form>
  );
}
