"use client";
import { useState, type FormEvent, type ReactNode } from "react";
import type { ActionResult } from "@/lib/actions";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert, Badge, Card } from "@/components/ui/card";
import type { OrgBinding } from "@/lib/authorization/binding-plan";
import type { BindingOptionsDto } from "@/lib/authorization/binding";

interface Option {
  id: string;
  name: string;
  detail?: string;
  badge?: string;
}

/** What an empty group says, on the page rather than in the browser's own validation bubble. */
const CHOOSE_TEXT: Record<string, string> = {
  desk: "Choose a Desk organisation.",
  salesiq: "Choose a SalesIQ portal.",
  assistDepartment: "Choose an Assist department.",
};

function OptionGroup({ legend, name, options, current, preferred, error, note, onChoose }: {
  legend: string;
  name: string;
  options: Option[];
  current?: string;
  /** Pre-selected when nothing is bound yet, e.g. Desk's default organisation. */
  preferred?: string;
  error?: string;
  note?: ReactNode;
  onChoose: (name: string) => void;
}) {
  const checked = current ?? preferred ?? (options.length === 1 ? options[0].id : undefined);
  return (
    <fieldset className="space-y-2 px-5 py-4" aria-describedby={`${name}-error`} aria-invalid={error ? true : undefined}>
      <legend className="float-left mb-2 w-full text-sm font-semibold text-slate-900">{legend}</legend>
      {note && <p className="clear-left text-xs text-slate-600">{note}</p>}
      <div className="clear-left grid gap-2 md:grid-cols-2">
        {options.map((o) => (
          <label key={o.id} className="flex cursor-pointer items-start gap-3 rounded-md p-3 ring-1 ring-inset ring-slate-200 hover:bg-slate-50 has-[:checked]:bg-indigo-50 has-[:checked]:ring-indigo-400">
            <input type="radio" name={name} value={o.id} defaultChecked={o.id === checked} onChange={() => onChoose(name)} className="mt-1" />
            <span>
              <span className="block text-sm font-medium text-slate-900">
                {o.name} {o.badge && <Badge tone="blue">{o.badge}</Badge>}
              </span>
              <span className="block text-xs text-slate-600">{o.detail ?? o.id}</span>
            </span>
          </label>
        ))}
      </div>
      {/* Always rendered, so screen readers announce the message when it appears. */}
      <p id={`${name}-error`} aria-live="assertive" className="text-xs font-medium text-red-600 empty:hidden">
        {error}
      </p>
    </fieldset>
  );
}

function Problem({ title, message, advice }: { title: string; message: string; advice: string }) {
  return (
    <div className="px-5 py-4">
      <Alert tone="amber">
        <strong>{title}:</strong> {message} {advice}
      </Alert>
    </div>
  );
}

/**
 * One group per service, from a discovery made with the connection's own token just now. The
 * console's page and a connect link owner's page submit to their own actions; `fields` are the
 * hidden inputs that action reads (the connection, or the link).
 */
export function BindingForm({ save, fields, options, binding }: {
  save: (formData: FormData) => Promise<ActionResult>;
  fields: Record<string, string | number>;
  options: BindingOptionsDto;
  binding: OrgBinding;
}) {
  const f = useActionForm(save);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const errors = { ...f.errors, ...missing };
  const { desk, salesiq, assist } = options;
  const chosen = (name: string) =>
    setMissing((m) => {
      const rest = { ...m };
      delete rest[name];
      return rest;
    });
  // Checked here so the message sits by the group that needs a choice; the server checks again.
  const submit = (e: FormEvent<HTMLFormElement>) => {
    const form = e.currentTarget;
    const empty = Object.keys(CHOOSE_TEXT).filter(
      (name) => form.querySelector(`input[name="${name}"]`) && !form.querySelector(`input[name="${name}"]:checked`),
    );
    if (empty.length === 0) return f.props.onSubmit(e);
    e.preventDefault();
    setMissing(Object.fromEntries(empty.map((n) => [n, CHOOSE_TEXT[n]])));
    form.querySelector<HTMLInputElement>(`input[name="${empty[0]}"]`)?.focus();
  };
  return (
    <form key={f.round} {...f.props} onSubmit={submit}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Card className="divide-y divide-slate-100">
        <FormError failure={f.failure} className="mx-5 mt-4" />
        {desk &&
          (desk.ok ? (
            <OptionGroup
              legend="Desk organisation"
              name="desk"
              current={binding.desk?.orgId}
              preferred={desk.options.find((o) => o.isDefault)?.id}
              error={errors.desk}
              onChoose={chosen}
              options={desk.options.map((o) => ({ id: o.id, name: o.name, detail: `orgId ${o.id}${o.detail ? ` · ${o.detail}` : ""}`, badge: o.isDefault ? "default" : undefined }))}
              note={
                desk.options.some((o) => o.isDefault) && !binding.desk
                  ? "Desk's default organisation for this user is pre-selected. Every Desk call sends the chosen organisation's id in the orgId header."
                  : "Every Desk call sends this organisation's id in the orgId header."
              }
            />
          ) : (
            <Problem title="Desk" message={desk.message} advice={desk.advice} />
          ))}
        {salesiq &&
          (salesiq.ok ? (
            <OptionGroup
              legend="SalesIQ portal"
              name="salesiq"
              current={binding.salesiq?.screenName}
              error={errors.salesiq}
              onChoose={chosen}
              options={salesiq.options.map((o) => ({ id: o.id, name: o.name, detail: `screen name ${o.id}` }))}
              note="SalesIQ calls live under /api/v2/{screen name}/…"
            />
          ) : (
            <Problem title="SalesIQ" message={salesiq.message} advice={salesiq.advice} />
          ))}
        {assist &&
          (assist.ok && assist.org ? (
            <OptionGroup
              legend="Assist department"
              name="assistDepartment"
              current={binding.assist?.orgId === assist.org.id ? binding.assist?.departmentId : undefined}
              error={errors.assistDepartment}
              onChoose={chosen}
              options={assist.departments.map((d) => ({ id: d.id, name: d.name, detail: `department ${d.id}` }))}
              note={
                <>
                  Organisation <strong>{assist.org.name}</strong>
                  {assist.org.environment && <> ({assist.org.environment})</>} was chosen in Zoho (on the consent page, or with
                  the self-client code); to use another, authorize again and choose it there. Device calls send the department below.
                </>
              }
            />
          ) : (
            !assist.ok && <Problem title="Assist" message={assist.message} advice={assist.advice} />
          ))}
        <div className="flex items-center justify-end gap-3 bg-slate-50 px-5 py-4">
          <SubmitButton pending={f.pending} pendingLabel="Saving…">
            Save binding
          </SubmitButton>
        </div>
      </Card>
    </form>
  );
}
