"use client";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert, Card } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import { LOGIN_NOTICES, type LoginNotice } from "@/lib/auth/login-notices";
import { authenticate } from "../actions";

export function LoginForm({ callbackUrl, notice }: { callbackUrl: string; notice?: LoginNotice }) {
  const f = useActionForm(authenticate);
  return (
    <Card className="p-6">
      <h1 className="mb-4 text-base font-semibold">Sign in</h1>
      <form key={f.round} {...f.props} className="space-y-4">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <FormError failure={f.failure} />
        {!f.failure && notice && <Alert tone="green">{LOGIN_NOTICES[notice]}</Alert>}
        <Field label="Email" name="email" error={f.errors?.email}>
          <TextInput name="email" type="email" autoComplete="username" required autoFocus error={f.errors?.email} />
        </Field>
        <Field label="Password" name="password" error={f.errors?.password}>
          <TextInput name="password" type="password" autoComplete="current-password" required error={f.errors?.password} />
        </Field>
        <SubmitButton className="w-full" pending={f.pending} pendingLabel="Signing in…">Sign in</SubmitButton>
      </form>
    </Card>
  );
}
