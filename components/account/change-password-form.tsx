"use client";
import { changePassword } from "@/app/(dashboard)/account/actions";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Card } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";

export function ChangePasswordForm() {
  const f = useActionForm(changePassword);
  const errors = f.errors;
  return (
    <Card className="p-5">
      <h2 className="text-sm font-semibold">Change your password</h2>
      <p className="mt-1 mb-4 text-sm text-slate-600">Your other sessions end; this browser stays signed in.</p>
      <form key={f.round} {...f.props} className="space-y-4">
        <FormError failure={f.failure} />
        <Field label="Current password" name="currentPassword" error={errors?.currentPassword}>
          <TextInput name="currentPassword" type="password" required autoComplete="current-password" error={errors?.currentPassword} />
        </Field>
        <Field label="New password" name="password" error={errors?.password} hint="At least 12 characters.">
          <TextInput name="password" type="password" required autoComplete="new-password" error={errors?.password} />
        </Field>
        <Field label="Repeat the new password" name="confirm" error={errors?.confirm}>
          <TextInput name="confirm" type="password" required autoComplete="new-password" error={errors?.confirm} />
        </Field>
        <SubmitButton pending={f.pending} pendingLabel="Changing…">
          Change password
        </SubmitButton>
      </form>
    </Card>
  );
}
