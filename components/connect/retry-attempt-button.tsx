"use client";
import { useActionState } from "react";
import { retryAuthorization } from "@/app/(dashboard)/connections/new/actions";
import { SubmitButton } from "@/components/ui/submit-button";

/** Starts the same authorization again and goes straight to Zoho; a refusal is said beside it. */
export function RetryAttemptButton({ attemptId, label }: { attemptId: number; label: string }) {
  const [state, action, pending] = useActionState(retryAuthorization, undefined);
  return (
    <form action={action} className="flex flex-col items-end gap-1">
      <input type="hidden" name="attemptId" value={attemptId} />
      <SubmitButton size="sm" pending={pending} pendingLabel="Opening Zoho…" aria-label={label}>
        Try again
      </SubmitButton>
      {state && !state.ok && (
        <p role="alert" className="max-w-xs text-right text-xs font-medium text-red-600">
          {state.error}
        </p>
      )}
    </form>
  );
}
