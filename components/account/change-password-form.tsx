"use client";
import { useActionState } from "react";
import { changePassword } from "@/app/(dashboard)/account/actions";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert, Card } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState(changePassword, undefined);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <Card className="p-5">
      <h2 className="text-sm font-semibold">Change your password</h2>
      <p className="mt-1 mb-4 text-sm text-slate-600">Your other sessions end; this browser stays signed in.</p>
      <form action={action} noValidate className="space-y-4">
        {state && !state.ok && !errors && <Alert>{state.error}</Alert>}
        <Field label="Current password" name="currentPassword" error={errors?.currentPassword}>
          <TextInput name="currentPassword" type="password" required autoComplete="current-password" error={errors?.currentPassword} />
        </Field>
        <Field label="New password" name="password" error={errors?.password} hint="At least 12 characters.">
          <TextInput name="password" type="password" required autoComplete="new-password" error={errors?.password} />
        </Field>
        <Field label="Repeat the new password" name="confirm" error={errors?.confirm}>
          <TextInput name="confirm" type="password" required autoComplete="new-password" error={errors?.confirm} />
        </Field>
        <SubmitButton pending={pending} pendingLabel="Changing…">
          Change password
        </SubmitButton>
      </form>
    </Card>
  );
}
