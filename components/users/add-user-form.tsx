"use client";
import { addUser } from "@/app/(dashboard)/settings/users/actions";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Card } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from "@/lib/rbac";

export function AddUserForm() {
  const f = useActionForm(addUser);
  const errors = f.errors;
  return (
    <Card className="p-5">
      <h2 className="text-sm font-semibold">Add a user</h2>
      <p className="mt-1 mb-4 text-sm text-slate-600">They sign in with this email and initial password; share it with them safely.</p>
      <form key={f.round} {...f.props} className="grid gap-4 md:grid-cols-2">
        <FormError failure={f.failure} className="md:col-span-2" />
        <Field label="Name" name="name" error={errors?.name}>
          <TextInput name="name" required maxLength={80} error={errors?.name} />
        </Field>
        <Field label="Email" name="email" error={errors?.email}>
          <TextInput name="email" type="email" required error={errors?.email} autoComplete="off" />
        </Field>
        <Field label="Initial password" name="password" error={errors?.password} hint="At least 12 characters.">
          <TextInput name="password" type="password" required autoComplete="new-password" error={errors?.password} />
        </Field>
        <Field label="Role" name="role" error={errors?.role}>
          <Select name="role" defaultValue="operator" error={errors?.role}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]} — {ROLE_DESCRIPTIONS[r]}
              </option>
            ))}
          </Select>
        </Field>
        <div className="md:col-span-2">
          <SubmitButton pending={f.pending} pendingLabel="Adding…">
            Add user
          </SubmitButton>
        </div>
      </form>
    </Card>
  );
}
