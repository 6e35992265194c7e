"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert, Card } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import { LOGIN_NOTICES, type LoginNotice } from "@/lib/auth/login-notices";
import { authenticate } from "../actions";

export function LoginForm({ callbackUrl, notice }: { callbackUrl: string; notice?: LoginNotice }) {
  const [state, action, pending] = useActionState(authenticate, undefined);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;
  return (
    <Card className="p-6">
      <h1 className="mb-4 text-base font-semibold">Sign in</h1>
      <form action={action} className="space-y-4" noValidate>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        {state && !state.ok ? <Alert>{state.error}</Alert> : notice && <Alert tone="green">{LOGIN_NOTICES[notice]}</Alert>}
        <Field label="Email" name="email" error={errors?.email}>
          <TextInput name="email" defaultValue={values?.email} type="email" autoComplete="username" required autoFocus error={errors?.email} />
        </Field>
        <Field label="Password" name="password" error={errors?.password}>
          <TextInput name="password" type="password" autoComplete="current-password" required error={errors?.password} />
        </Field>
        <SubmitButton className="w-full" pending={pending} pendingLabel="Signing in…">Sign in</SubmitButton>
      </form>
    </Card>
  );
}
