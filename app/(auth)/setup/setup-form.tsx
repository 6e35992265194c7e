"use client";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Card } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import { setupAdmin } from "../actions";

export function SetupForm() {
  const f = useActionForm(setupAdmin);
  const errors = f.errors;
  return (
    <Card className="p-6">
      <h1 className="text-base font-semibold">Create the admin account</h1>
      <p className="mt-1 mb-4 text-sm text-slate-600">
        This console has no users yet. The account you create now is its first admin; this page closes once it exists.
      </p>
      <form key={f.round} {...f.props} className="space-y-4">
        <FormError failure={f.failure} />
        <Field label="Name" name="name" error={errors?.name}>
          <TextInput name="name" autoComplete="name" required autoFocus maxLength={80} error={errors?.name} />
        </Field>
        <Field label="Email" name="email" error={errors?.email}>
          <TextInput name="email" type="email" autoComplete="username" required error={errors?.email} />
        </Field>
        <Field label="Password" name="password" error={errors?.password} hint="At least 12 characters.">
          <TextInput name="password" type="password" autoComplete="new-password" required error={errors?.password} />
        </Field>
        <Field label="Confirm password" name="confirm" error={errors?.confirm}>
          <TextInput name="confirm" type="password" autoComplete="new-password" required error={errors?.confirm} />
        </Field>
        <SubmitButton className="w-full" pending={f.pending} pendingLabel="Creating…">Create admin and sign in</SubmitButton>
      </form>
    </Card>
  );
}
