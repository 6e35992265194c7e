"use client";
import Link from "next/link";
import { useState } from "react";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Card } from "@/components/ui/card";
import { Field, Select, TextInput, inputClass } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions";
import type { ClientDto } from "@/lib/clients";
import { RedirectUriBox } from "./redirect-uri-box";
import { DC_LABELS, DC_LOCATIONS, type Realm } from "@/lib/zoho/data-centres";

type Action = (formData: FormData) => Promise<ActionResult>;

const REALM_TEXT: Record<Realm, { label: string; hint: string }> = {
  sandbox: { label: "Local sandbox", hint: "The Zoho sandbox that ships with this console, for trying every flow." },
  live: { label: "Live Zoho", hint: "A client created in Zoho's API console (api-console.zoho.com)." },
};

/**
 * The client's details. With `redirectUri` (registering a new client) the Zoho-side steps for the
 * chosen client type follow the form, as a second grid cell.
 */
export function ClientForm({ action, client, realms, redirectUri }: { action: Action; client?: ClientDto; realms: Realm[]; redirectUri?: string }) {
  // Registering redirects to the new client; a save remounts the fields, so a saved secret does
  // not linger in its field.
  const f = useActionForm(action);
  const errors = f.errors;
  const [clientType, setClientType] = useState(client?.clientType ?? "server");
  const [multiDc, setMultiDc] = useState(client?.multiDc ?? false);
  const [homeDc, setHomeDc] = useState<string>(client?.homeDc ?? "us");
  const enabled = new Set<string>(client?.enabledDcs ?? []);

  // "Already registered" failures carry a link to the client that holds the name or client id.
  const link = f.failure?.link;
  const existing = (field: string) =>
    link && errors?.[field] ? (
      <p className="mt-1 text-xs" data-testid="existing-client-link">
        <Link href={link.href} className="font-medium text-indigo-600 hover:underline">
          {link.label}
        </Link>
      </p>
    ) : null;

  return (
    <>
      <Card className="min-w-0 p-5">
        <form key={f.round} {...f.props} className="grid gap-5 md:grid-cols-2">
          {client && <input type="hidden" name="id" value={client.id} />}
          <FormError failure={f.failure} className="md:col-span-2" />
          <div>
            <Field label="Name" name="name" error={errors?.name} hint="How people here recognise it, e.g. “EU support — Desk”.">
              <TextInput name="name" required maxLength={120} defaultValue={client?.name} error={errors?.name} />
            </Field>
            {existing("name")}
          </div>
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-slate-800">Where it is registered</legend>
            {realms.map((r) => (
              <label key={r} className="flex items-start gap-2 text-sm">
                <input type="radio" name="realm" value={r} defaultChecked={(client?.realm ?? realms[0]) === r} className="mt-1" />
                <span>
                  <span className="font-medium">{REALM_TEXT[r].label}</span>
                  <span className="block text-xs text-slate-500">{REALM_TEXT[r].hint}</span>
                </span>
              </label>
            ))}
            {errors?.realm && <p role="alert" className="text-xs font-medium text-red-600">{errors.realm}</p>}
          </fieldset>
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-slate-800">Client type</legend>
            {(["server", "self"] as const).map((t) => (
              <label key={t} className="flex items-start gap-2 text-sm">
                <input type="radio" name="clientType" value={t} checked={clientType === t} onChange={() => setClientType(t)} className="mt-1" />
                <span>
                  <span className="font-medium">{t === "server" ? "Server-based application" : "Self client"}</span>
                  <span className="block text-xs text-slate-500">
                    {t === "server" ? "Users consent in the browser; Zoho redirects back here." : "For back-end jobs: codes are generated in Zoho's console and pasted here. Cannot be multi-DC."}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          <div>
            <Field label="Client ID" name="clientId" error={errors?.clientId} hint="From the Client Secret tab in Zoho's API console: 1000. followed by 30 characters.">
              <TextInput name="clientId" required spellCheck={false} autoComplete="off" className="font-mono" defaultValue={client?.clientId} error={errors?.clientId} />
            </Field>
            {existing("clientId")}
          </div>
          <Field
            label={client ? "Replace client secret" : "Client secret"}
            name="clientSecret"
            error={errors?.clientSecret}
            hint={client ? `Stored encrypted as ${client.secretMasked}. It cannot be shown again; leave empty to keep it.` : "Stored encrypted; after saving only its last four characters are shown."}
          >
            <TextInput name="clientSecret" type="password" autoComplete="new-password" spellCheck={false} className="font-mono" required={!client} error={errors?.clientSecret} />
          </Field>
          <Field label="Home data centre" name="homeDc" error={errors?.homeDc} hint="The DC whose API console the client was created in.">
            <Select name="homeDc" value={homeDc} onChange={(e) => setHomeDc(e.target.value)} error={errors?.homeDc}>
              {DC_LOCATIONS.map((dc) => (
                <option key={dc} value={dc}>
                  {dc} — {DC_LABELS[dc]}
                </option>
              ))}
            </Select>
          </Field>
          {clientType === "server" && (
            <fieldset className="space-y-2 md:col-span-2">
              <legend className="sr-only">Multi-DC</legend>
              <label className="flex items-center gap-2 text-sm font-medium">
                <input type="checkbox" name="multiDc" checked={multiDc} onChange={(e) => setMultiDc(e.target.checked)} />
                Multi-DC enabled in Zoho&apos;s console
              </label>
              <p className="text-xs text-slate-500">
                Users whose accounts live in other data centres can then consent; Zoho sends them to their own DC. Tick the DCs enabled under Settings → Multi-DC in Zoho&apos;s console.
              </p>
              {multiDc && (
                <div className="flex flex-wrap gap-3" role="group" aria-label="Enabled data centres">
                  {DC_LOCATIONS.filter((dc) => dc !== homeDc).map((dc) => (
                    <label key={dc} className="flex items-center gap-1.5 rounded-md px-2 py-1 text-sm ring-1 ring-slate-200">
                      <input type="checkbox" name="enabledDcs" value={dc} defaultChecked={enabled.has(dc)} />
                      {dc} <span className="text-xs text-slate-500">{DC_LABELS[dc]}</span>
                    </label>
                  ))}
                </div>
              )}
              {errors?.enabledDcs && <p role="alert" className="text-xs font-medium text-red-600">{errors.enabledDcs}</p>}
            </fieldset>
          )}
          <div className="md:col-span-2">
            <Field label="Description" name="description" error={errors?.description}>
              <textarea id="description" name="description" rows={2} maxLength={600} className={inputClass(!!errors?.description)} defaultValue={client?.description} />
            </Field>
          </div>
          <div className="md:col-span-2">
            <SubmitButton pending={f.pending} pendingLabel="Saving…">{client ? "Save changes" : "Register client"}</SubmitButton>
          </div>
        </form>
      </Card>
      {redirectUri !== undefined && <RedirectUriBox uri={redirectUri} clientType={clientType === "self" ? "self" : "server"} />}
    </>
  );
}
