"use client";
import { useTransition } from "react";
import { toast } from "sonner";
import { revokeKey } from "@/app/(dashboard)/settings/api-keys/actions";
import { callAction } from "@/components/ui/call-action";
import { ConfirmButton } from "@/components/ui/confirm-button";

export function RevokeKeyButton({ id, name }: { id: number; name: string }) {
  const [pending, start] = useTransition();
  return (
    <ConfirmButton
      label={pending ? "Revoking…" : "Revoke"}
      title={`Revoke “${name}”?`}
      confirmLabel="Revoke key"
      disabled={pending}
      onConfirm={() =>
        start(async () => {
          const fd = new FormData();
          fd.set("id", String(id));
          const result = await callAction(() => revokeKey(fd));
          if (result.ok) toast.success(result.message ?? "Revoked");
          else toast.error(result.error);
        })
      }
    >
      Services using this key are refused from their next call. This cannot be undone; its history stays, and a new key can be created at any time.
    </ConfirmButton>
  );
}
