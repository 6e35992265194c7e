"use client";
import { useState } from "react";
import { Field, Select, TextInput, inputClass } from "@/components/ui/field";
import { EVENT_DESCRIPTIONS, EVENT_TYPES, type EventType } from "@/lib/alerts/events";
import { ALERT_DESTINATION_KINDS } from "@/lib/alerts/input";
import { KIND_LABELS } from "./format";

type Kind = (typeof ALERT_DESTINATION_KINDS)[number];

export interface DestinationDefaults {
  kind: Kind;
  name: string;
  emails: string[];
  events: EventType[];
  clientId: number | null;
  connectionId: number | null;
}

export interface FilterChoices {
  clients: { id: number; name: string }[];
  connections: { id: number; name: string; revoked: boolean }[];
}

export const NEW_DESTINATION: DestinationDefaults = { kind: "webhook", name: "", emails: [], events: [], clientId: null, connectionId: null };

// `test` goes to the one destination whose Send test was pressed, whatever it subscribes to,
// so offering it as a choice would only mislead.
const CHOOSABLE = EVENT_TYPES.filter((t) => t !== "test");

const URL_HINTS: Record<Exclude<Kind, "email">, string> = {
  webhook: "https:// address that receives a signed POST per event.",
  slack: "The Slack incoming-webhook URL (https://hooks.slack.com/services/…).",
};

/**
 * The fields of the add and edit forms. `urlHint` set means editing: the kind is fixed and an
 * empty URL keeps the stored one, which is never shown again (its path may be a credential).
 */
export function DestinationFields({
  defaults,
  choices,
  errors,
  urlHint,
  smtpConfigured,
}: {
  defaults: DestinationDefaults;
  choices: FilterChoices;
  errors?: Record<string, string>;
  urlHint?: string | null;
  smtpConfigured: boolean;
}) {
  const editing = urlHint !== undefined;
  const [kind, setKind] = useState<Kind>(defaults.kind);
  return (
    <>
      <Field label="Name" name="name" error={errors?.name} hint="Who reads it, e.g. “On-call Slack” or “Ops webhook”.">
        <TextInput name="name" required maxLength={100} autoComplete="off" defaultValue={defaults.name} error={errors?.name} />
      </Field>
      <Field
        label="Kind"
        name="kind"
        error={errors?.kind}
        hint={editing ? "A destination keeps its kind; add a new one for another kind." : !smtpConfigured && kind === "email" ? "E-mail needs SMTP_URL set in the console's environment." : undefined}
      >
        {/* A disabled select sends nothing: the hidden input carries the fixed kind on edit. */}
        {editing && <input type="hidden" name="kind" value={kind} />}
        <Select name="kind" value={kind} disabled={editing} onChange={(e) => setKind(e.target.value as Kind)} error={errors?.kind}>
          {ALERT_DESTINATION_KINDS.map((k) => (
            <option key={k} value={k}>{k === "email" && !smtpConfigured ? "E-mail (needs SMTP_URL)" : KIND_LABELS[k]}</option>
          ))}
        </Select>
      </Field>
      {kind === "email" ? (
        <Field label="Recipients" name="emails" error={errors?.emails} hint="One e-mail address per line, at most 20.">
          <textarea
            id="emails"
            name="emails"
            rows={3}
            defaultValue={defaults.emails.join("\n")}
            aria-invalid={errors?.emails ? true : undefined}
            aria-describedby={errors?.emails ? "emails-error" : "emails-hint"}
            className={inputClass(!!errors?.emails)}
          />
        </Field>
      ) : (
        <Field label="URL" name="url" error={errors?.url} hint={editing ? `Leave empty to keep the stored URL (${urlHint ?? "none"}).` : URL_HINTS[kind]}>
          <TextInput
            name="url"
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder={editing ? "Leave empty to keep it" : "https://"}
            error={errors?.url}
            aria-describedby={errors?.url ? "url-error" : "url-hint"}
          />
        </Field>
      )}
      <FilterSelects defaults={defaults} choices={choices} errors={errors} />
      <EventChecklist initial={defaults.events} error={errors?.events} />
    </>
  );
}

function FilterSelects({ defaults, choices, errors }: { defaults: DestinationDefaults; choices: FilterChoices; errors?: Record<string, string> }) {
  return (
    <>
      <Field label="Client" name="clientId" error={errors?.clientId} hint="Only events about this client's connections. Any: every client.">
        <Select name="clientId" defaultValue={defaults.clientId ?? ""} error={errors?.clientId}>
          <option value="">Any client</option>
          {choices.clients.map((c) => (
            <option key={c.id} value={c.id}>{c.name}</option>
          ))}
        </Select>
      </Field>
      <Field label="Connection" name="connectionId" error={errors?.connectionId} hint="Only events about this connection. Any: every connection.">
        <Select name="connectionId" defaultValue={defaults.connectionId ?? ""} error={errors?.connectionId}>
          <option value="">Any connection</option>
          {choices.connections.map((c) => (
            <option key={c.id} value={c.id}>{c.revoked ? `${c.name} (revoked)` : c.name}</option>
          ))}
        </Select>
      </Field>
    </>
  );
}

function EventChecklist({ initial, error }: { initial: EventType[]; error?: string }) {
  return (
    <fieldset className="space-y-2 md:col-span-2" aria-describedby={error ? "events-error" : "events-hint"}>
      <legend className="text-sm font-medium text-slate-800">Events</legend>
      <p id="events-hint" className="text-xs text-slate-500">
        Tick none to receive every event, including ones added later. Send test always reaches the destination.
      </p>
      <div className="grid gap-2 md:grid-cols-2">
        {CHOOSABLE.map((t) => (
          <div key={t} className="flex items-start gap-2 text-sm">
            <input id={`event-${t}`} type="checkbox" name="events" value={t} defaultChecked={initial.includes(t)} aria-describedby={`event-${t}-hint`} className="mt-1" />
            <div>
              <label htmlFor={`event-${t}`} className="font-mono text-xs font-medium">{t}</label>
              <p id={`event-${t}-hint`} className="text-xs text-slate-500">{EVENT_DESCRIPTIONS[t]}</p>
            </div>
          </div>
        ))}
      </div>
      {error && (
        <p id="events-error" role="alert" className="text-xs font-medium text-red-600">{error}</p>
      )}
    </fieldset>
  );
}
