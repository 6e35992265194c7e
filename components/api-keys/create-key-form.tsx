"use client";
import { useState } from "react";
import { createKey } from "@/app/(dashboard)/settings/api-keys/actions";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Card } from "@/components/ui/card";
import { KeyFields, NEW_KEY_DEFAULTS } from "./key-fields";
import { NewKeyPanel, type CreatedKey } from "./new-key-panel";

export function CreateKeyForm({ defaultRateLimit, base }: { defaultRateLimit: number; base: string }) {
  const [created, setCreated] = useState<CreatedKey>();
  const f = useActionForm(createKey, {
    onSuccess: (result, data) => {
      if (!result.created) return;
      const chosen = data.get("scope") === "chosen" ? Number(data.getAll("connectionIds")[0] ?? NaN) : NaN;
      const expires = String(data.get("expiresAt") ?? "");
      setCreated({
        ...result.created,
        name: String(data.get("name") ?? "").trim(),
        connectionId: Number.isInteger(chosen) ? chosen : null,
        mayGetTokens: data.getAll("permissions").includes("token"),
        expiresAt: expires ? Date.parse(expires) : null,
      });
    },
  });

  return (
    <div className="space-y-4">
      {created && <NewKeyPanel created={created} base={base} onDone={() => setCreated(undefined)} />}
      <Card className="p-5">
        <h2 className="text-sm font-semibold">Create an API key</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">One key per service, so each can be limited, watched and revoked on its own.</p>
        <form key={f.round} {...f.props} className="grid gap-5 md:grid-cols-2">
          <FormError failure={f.failure} className="md:col-span-2" />
          <KeyFields defaults={NEW_KEY_DEFAULTS} errors={f.errors} defaultRateLimit={defaultRateLimit} />
          <div className="md:col-span-2">
            <SubmitButton pending={f.pending} pendingLabel="Creating…">Create key</SubmitButton>
          </div>
        </form>
      </Card>
    </div>
  );
}
