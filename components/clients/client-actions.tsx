"use client";
import { useTransition } from "react";
import { toast } from "sonner";
import { addSandboxDemoClientAction, deleteClientAction } from "@/app/(dashboard)/clients/actions";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { callAction } from "@/components/ui/call-action";

export function DeleteClientButton({ id, name, liveConnections }: { id: number; name: string; liveConnections: number }) {
  const [pending, start] = useTransition();
  return (
    <ConfirmButton
      label={pending ? "Deleting…" : "Delete client"}
      title={`Delete “${name}”?`}
      confirmLabel="Delete client"
      disabled={pending}
      onConfirm={() =>
        start(async () => {
          const fd = new FormData();
          fd.set("id", String(id));
          const result = await callAction(() => deleteClientAction(fd));
          if (!result.ok) toast.error(result.error);
        })
      }
    >
      {liveConnections > 0
        ? `It still has ${liveConnections} live connection${liveConnections === 1 ? "" : "s"}; the console will refuse until they are revoked.`
        : "The console forgets its id and secret. Nothing changes in Zoho's console; delete the client there too if it is no longer used."}
    </ConfirmButton>
  );
}

export function AddSandboxDemoButton({ variant = "primary" }: { variant?: "primary" | "secondary" }) {
  const [pending, start] = useTransition();
  return (
    <Button
      variant={variant}
      disabled={pending}
      onClick={() =>
        start(async () => {
          const result = await callAction(() => addSandboxDemoClientAction());
          if (!result.ok) toast.error(result.error);
        })
      }
    >
      {pending ? "Adding…" : "Add the sandbox demo client"}
    </Button>
  );
}
