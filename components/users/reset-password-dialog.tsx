"use client";
import { useId, useState } from "react";
import { resetUserPassword } from "@/app/(dashboard)/settings/users/actions";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import type { UserDto } from "@/lib/users";

/**
 * Mounted only while open (so the field ids stay unique on the page): the admin types a new
 * password or leaves it empty for a random one, which is shown here once and never again.
 */
export function ResetPasswordDialog({ user, onClose }: { user: UserDto; onClose: () => void }) {
  // The answer replaces the form: what was done, and the password when the console chose it.
  const [done, setDone] = useState<{ message?: string; oneTimePassword?: string }>();
  const f = useActionForm(resetUserPassword, { onSuccess: setDone });
  const titleId = useId();
  const errors = f.errors;
  return (
    <dialog
      ref={(el) => {
        if (el && !el.open) el.showModal();
      }}
      onClose={onClose}
      aria-labelledby={titleId}
      className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="space-y-4 p-5">
        <h2 id={titleId} className="text-base font-semibold text-slate-900">Reset the password of {user.email}</h2>
        {done ? (
          <>
            <Alert tone="green">{done.message}</Alert>
            {done.oneTimePassword && (
              <div className="space-y-1">
                <p className="text-sm text-slate-700">The new password, shown only now. Give it to them safely:</p>
                <output className="block rounded bg-slate-100 px-3 py-2 font-mono text-sm break-all select-all" data-testid="one-time-password">
                  {done.oneTimePassword}
                </output>
              </div>
            )}
            <div className="flex justify-end">
              <Button onClick={onClose} autoFocus>Done</Button>
            </div>
          </>
        ) : (
          <form key={f.round} {...f.props} className="space-y-4">
            <FormError failure={f.failure} />
            <p className="text-sm text-slate-600">Their open sessions end at once. Leave the field empty for a random password.</p>
            <input type="hidden" name="userId" value={user.id} />
            <Field label="New password" name="newPassword" error={errors?.newPassword} hint="At least 12 characters, or empty.">
              <TextInput name="newPassword" type="password" autoComplete="new-password" error={errors?.newPassword} autoFocus />
            </Field>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={onClose}>Cancel</Button>
              <SubmitButton pending={f.pending} pendingLabel="Resetting…">Reset password</SubmitButton>
            </div>
          </form>
        )}
      </div>
    </dialog>
  );
}
