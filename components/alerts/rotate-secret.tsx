"use client";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { rotateSecretAction } from "@/app/(dashboard)/settings/alerts/actions";
import { Card } from "@/components/ui/card";
import { callAction } from "@/components/ui/call-action";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { LocalDateTime } from "@/components/ui/local-time";
import { SecretPanel } from "./secret-panel";

/**
 * A webhook's signing secret: never shown after it was made, only replaced. The old one keeps
 * signing beside the new one for a while, so the receiver can switch without losing events.
 */
export function RotateSecret({ id, name, previousSecretUntil }: { id: number; name: string; previousSecretUntil: number | null }) {
  const [pending, start] = useTransition();
  const [secret, setSecret] = useState<string>();
  const rotate = () =>
    start(async () => {
      const fd = new FormData();
      fd.set("id", String(id));
      const result = await callAction(() => rotateSecretAction(fd));
      if (!result.ok) toast.error(result.error);
      else if (result.created) setSecret(result.created.key);
    });
  const until = previousSecretUntil !== null && (
    <>
      The previous secret still signs every delivery beside the new one until <LocalDateTime ms={previousSecretUntil} />.
    </>
  );
  return (
    <Card className="space-y-3 p-5">
      <h2 className="text-sm font-semibold">Signing secret</h2>
      <p className="text-sm text-slate-600">
        Shown once when it was made. Rotate it if it may have leaked or the receiver lost it: for 24 hours both secrets sign (the
        webhook-signature header carries two signatures), then only the new one.
      </p>
      {until && !secret && <p className="text-sm text-slate-700">{until}</p>}
      {secret ? (
        <SecretPanel title={`New signing secret for “${name}”`} secret={secret} note={until || "The previous secret still signs for 24 hours."} onDone={() => setSecret(undefined)} />
      ) : (
        <ConfirmButton label={pending ? "Rotating…" : "Rotate secret"} title={`Rotate the signing secret of “${name}”?`} confirmLabel="Rotate now" variant="primary" disabled={pending} onConfirm={rotate}>
          A new secret is made and shown once. The current one keeps signing beside it for 24 hours; update the receiver before then, or
          it will reject the deliveries.
        </ConfirmButton>
      )}
    </Card>
  );
}
