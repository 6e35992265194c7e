"use client";
import { updateKey } from "@/app/(dashboard)/settings/api-keys/actions";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert, Card } from "@/components/ui/card";
import type { ApiKeyDto } from "@/lib/api-keys/store";
import { KeyFields } from "./key-fields";

export function EditKeyForm({ apiKey, defaultRateLimit }: { apiKey: ApiKeyDto; defaultRateLimit: number }) {
  const f = useActionForm(updateKey);
  const revoked = apiKey.state === "revoked";
  const defaults = {
    name: apiKey.name,
    allConnections: apiKey.allConnections,
    connections: apiKey.connections,
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
      <form key={f.round} {...f.props}>
        <input type="hidden" name="id" value={apiKey.id} />
        {/* A disabled fieldset disables every control in it, the picker's too. */}
        <fieldset disabled={revoked || f.pending} className="grid gap-5 md:grid-cols-2">
          <FormError failure={f.failure} className="md:col-span-2" />
          <KeyFields defaults={defaults} errors={f.errors} defaultRateLimit={defaultRateLimit} />
          <div className="md:col-span-2">
            <SubmitButton pending={f.pending} pendingLabel="Saving…">Save changes</SubmitButton>
          </div>
        </fieldset>
      </form>
    </Card>
  );
}
