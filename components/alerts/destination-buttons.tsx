"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { deleteDestinationAction, resumeDestinationAction } from "@/app/(dashboard)/settings/alerts/actions";
import { Button } from "@/components/ui/button";
import { callAction } from "@/components/ui/call-action";
import { ConfirmButton } from "@/components/ui/confirm-button";

const idForm = (id: number) => {
  const fd = new FormData();
  fd.set("id", String(id));
  return fd;
};

/** Not destructive (it only lets waiting deliveries go), so no confirmation. */
export function ResumeButton({ id }: { id: number }) {
  const [pending, start] = useTransition();
  return (
    <Button
      size="sm"
      disabled={pending}
      aria-busy={pending || undefined}
      onClick={() =>
        start(async () => {
          const result = await callAction(() => resumeDestinationAction(idForm(id)));
          if (result.ok) toast.success(result.message ?? "Resumed.");
          else toast.error(result.error);
        })
      }
    >
      {pending ? "Resuming…" : "Resume"}
    </Button>
  );
}

export function DeleteDestinationButton({ id, name }: { id: number; name: string }) {
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <ConfirmButton
      label={pending ? "Deleting…" : "Delete"}
      title={`Delete “${name}”?`}
      confirmLabel="Delete destination"
      disabled={pending}
      onConfirm={() =>
        start(async () => {
          const result = await callAction(() => deleteDestinationAction(idForm(id)));
          if (!result.ok) {
            toast.error(result.error);
            return;
          }
          toast.success(result.message ?? "Deleted.");
          router.push("/settings/alerts");
        })
      }
    >
      “{name}” receives no more alerts from now on, and its delivery log is deleted with it. This cannot be undone; the audit trail keeps
      that it existed.
    </ConfirmButton>
  );
}
