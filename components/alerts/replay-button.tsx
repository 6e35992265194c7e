"use client";
import { useTransition } from "react";
import { toast } from "sonner";
import { replayDeliveryAction } from "@/app/(dashboard)/settings/alerts/actions";
import { Button } from "@/components/ui/button";
import { callAction } from "@/components/ui/call-action";

/** Sends the event again as a new delivery; receivers that de-duplicate by webhook-id see one. */
export function ReplayButton({ deliveryId }: { deliveryId: number }) {
  const [pending, start] = useTransition();
  return (
    <Button
      size="sm"
      variant="secondary"
      disabled={pending}
      aria-busy={pending || undefined}
      title="Send this event again, as a new delivery with the same webhook-id"
      onClick={() =>
        start(async () => {
          const fd = new FormData();
          fd.set("deliveryId", String(deliveryId));
          const result = await callAction(() => replayDeliveryAction(fd));
          if (result.ok) toast.success(result.message ?? "Replay queued.");
          else toast.error(result.error);
        })
      }
    >
      {pending ? "Replaying…" : "Replay"}
    </Button>
  );
}
