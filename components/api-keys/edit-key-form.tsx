"use client";
import { useEffect } from "react";
import { toast } from "sonner";
import { updateKey } from "@/app/(dashboard)/settings/api-keys/actions";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert, Card } from "@/components/ui/card";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ApiKeyDto } from "@/lib/api-keys/store";
import type { ConnectionChoice } from "./form-helpers";
import { KeyFields } from "./key-fields";

export function EditKeyForm({ apiKey, choices, defaultRateLimit }: { apiKey: ApiKeyDto; choices: ConnectionChoice[]; defaultRateLimit: number }) {
  const { state, onSubmit, pending } = useFormAction(updateKey);
  useEffect(() => {
    if (state?.ok && state.message) toast.success(state.message);
  }, [state]);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const revoked = apiKey.state === "revoked";
  const defaults = {
    name: apiKey.name,
    allConnections: apiKey.allConnections,
    connectionIds: apiKey.connections.map((c) => c.id),
    permissions: apiKey.permissions,
    expiresAt: apiKey.expiresAt,
    rateLimitPerMinute: apiKey.customRateLimit ? apiKey.rateLimitPerMinute : null,
  };
  return (
    <Card className="p-5">
      {revoked && (
        <div className="mb-4">
          <Alert tone="amber">This key is revoked and can no longer be changed. Create a new key instead.</Alert>
        </div>
      )}
      <form onSubmit={onSubmit} noValidate>
        <input type="hidden" name="id" value={apiKey.id} />
        {/* A disabled fieldset disables every control in it, the checklist's too. */}
        <fieldset disabled={revoked || pending} className="grid gap-5 md:grid-cols-2">
          {state && !state.ok && !Object.values(errors ?? {}).includes(state.error) && (
            <div className="md:col-span-2">
              <Alert>{state.error}</Alert>
            </div>
          )}
          <KeyFields defaults={defaults} choices={choices} errors={errors} defaultRateLimit={defaultRateLimit} />
          <div className="md:col-span-2">
            <SubmitButton pending={pending} pendingLabel="Saving…">Save changes</SubmitButton>
          </div>
        </fieldset>
      </form>
    </Card>
  );
}
