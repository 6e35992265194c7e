"use client";
import { useActionState, type ReactNode } from "react";
import { saveBindingAction } from "@/app/(dashboard)/connections/[id]/binding/actions";
import { Button } from "@/components/ui/button";
import { Alert, Badge, Card } from "@/components/ui/card";
import type { OrgBinding } from "@/lib/connect/binding-plan";
import type { BindingOptionsDto } from "@/lib/connect/binding";

interface Option {
  id: string;
  name: string;
  detail?: string;
  badge?: string;
}

function OptionGroup({ legend, name, options, current, error, note }: {
  legend: string;
  name: string;
  options: Option[];
  current?: string;
  error?: string;
  note?: ReactNode;
}) {
  const checked = current ?? (options.length === 1 ? options[0].id : undefined);
  return (
    <fieldset className="space-y-2 px-5 py-4" aria-describedby={error ? `${name}-error` : undefined}>
      <legend className="float-left mb-2 w-full text-sm font-semibold text-slate-900">{legend}</legend>
      {note && <p className="clear-left text-xs text-slate-600">{note}</p>}
      <div className="clear-left grid gap-2 md:grid-cols-2">
        {options.map((o) => (
          <label key={o.id} className="flex cursor-pointer items-start gap-3 rounded-md p-3 ring-1 ring-inset ring-slate-200 hover:bg-slate-50 has-[:checked]:bg-indigo-50 has-[:checked]:ring-indigo-400">
            <input type="radio" name={name} value={o.id} defaultChecked={o.id === checked} required className="mt-1" />
            <span>
              <span className="block text-sm font-medium text-slate-900">
                {o.name} {o.badge && <Badge tone="blue">{o.badge}</Badge>}
              </span>
              <span className="block text-xs text-slate-600">{o.detail ?? o.id}</span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id={`${name}-error`} role="alert" className="text-xs font-medium text-red-600">
          {error}
        </p>
      )}
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

/** One group per service, from a discovery made with the connection's own token just now. */
export function BindingForm({ connectionId, attemptId, options, binding }: {
  connectionId: number;
  attemptId?: number;
  options: BindingOptionsDto;
  binding: OrgBinding;
}) {
  const [state, action, pending] = useActionState(saveBindingAction, undefined);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const { desk, salesiq, assist } = options;
  return (
    <form action={action}>
      <input type="hidden" name="connectionId" value={connectionId} />
      {attemptId && <input type="hidden" name="attempt" value={attemptId} />}
      <Card className="divide-y divide-slate-100">
        {state && !state.ok && !errors && (
          <div className="px-5 pt-4">
            <Alert>{state.error}</Alert>
          </div>
        )}
        {desk &&
          (desk.ok ? (
            <OptionGroup
              legend="Desk organisation"
              name="desk"
              current={binding.desk?.orgId}
              error={errors?.desk}
              options={desk.options.map((o) => ({ id: o.id, name: o.name, detail: `orgId ${o.id}${o.detail ? ` · ${o.detail}` : ""}`, badge: o.isDefault ? "default" : undefined }))}
              note="Every Desk call sends this organisation's id in the orgId header."
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
              error={errors?.salesiq}
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
              error={errors?.assistDepartment}
              options={assist.departments.map((d) => ({ id: d.id, name: d.name, detail: `department ${d.id}` }))}
              note={
                <>
                  Organisation <strong>{assist.org.name}</strong>
                  {assist.org.environment && <> ({assist.org.environment})</>} was chosen on Zoho&apos;s consent page; to use another,
                  reconnect and choose it there. Device calls send the department below.
                </>
              }
            />
          ) : (
            !assist.ok && <Problem title="Assist" message={assist.message} advice={assist.advice} />
          ))}
        <div className="flex items-center justify-end gap-3 bg-slate-50 px-5 py-4">
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save binding"}
          </Button>
        </div>
      </Card>
    </form>
  );
}
