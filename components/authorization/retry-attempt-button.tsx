"use client";
import { retryAuthorization } from "@/app/(dashboard)/connections/new/actions";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";

/** Starts the same authorization again and goes straight to Zoho; a refusal is said above it. */
export function RetryAttemptButton({ attemptId, label }: { attemptId: number; label: string }) {
  const f = useActionForm(retryAuthorization);
  return (
    <form key={f.round} {...f.props} className="flex flex-col items-end gap-1">
      <FormError failure={f.failure} className="max-w-xs text-left" />
      <input type="hidden" name="attemptId" value={attemptId} />
      <SubmitButton size="sm" pending={f.pending} pendingLabel="Opening Zoho…" aria-label={label}>
        Try again
      </SubmitButton>
    </form>
  );
}
