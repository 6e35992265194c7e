"use client";
import { useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { useId, useTransition } from "react";
import { toast } from "sonner";
import { setKeepFreshAction } from "@/app/(dashboard)/connections/[id]/actions";
import { callAction } from "@/components/ui/call-action";
import { cn } from "@/components/ui/cn";
import { keepFreshRefusal } from "@/lib/connections/keep-fresh-rule";
import { queryKeys } from "@/components/query-keys";

/** Why the switch cannot be flipped, or null when it can (the server applies the same rule). */
export function keepFreshBlocked(c: { accessType: string; keepFresh: boolean; facts: { revokedAt: number | null } }): string | null {
  return keepFreshRefusal({ accessType: c.accessType, revoked: !!c.facts.revokedAt }, !c.keepFresh);
}

/** The per-connection "Keep fresh" switch: the background refresher renews its token ahead of expiry. */
export function KeepFreshSwitch({ connectionId, on, blocked }: { connectionId: number; on: boolean; blocked: string | null }) {
  const queryClient = useQueryClient();
  const [pending, start] = useTransition();
  const labelId = useId();
  const hintId = useId();
  const toggle = () =>
    start(async () => {
      const fd = new FormData();
      fd.set("connectionId", String(connectionId));
      fd.set("keepFresh", on ? "off" : "on");
      const r = await callAction(() => setKeepFreshAction(fd));
      if (r.ok) toast.success(r.message);
      else toast.error(r.error);
      await queryClient.invalidateQueries({ queryKey: queryKeys.connection(connectionId) });
    });
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-labelledby={labelId}
        aria-describedby={hintId}
        aria-busy={pending || undefined}
        disabled={pending || !!blocked}
        onClick={toggle}
        className={cn(
          "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors disabled:cursor-not-allowed disabled:opacity-60",
          on ? "bg-indigo-600" : "bg-slate-400",
        )}
      >
        <span
          aria-hidden
          className={cn(
            "inline-flex h-5 w-5 items-center justify-center rounded-full bg-white shadow transition-transform",
            on ? "translate-x-5.5" : "translate-x-0.5",
          )}
        >
          {pending && <Loader2 className="h-3 w-3 animate-spin text-slate-500" />}
        </span>
      </button>
      <span id={labelId} className="font-medium text-slate-800">Keep fresh</span>
      <span id={hintId} className="text-xs text-slate-600" data-testid="keep-fresh-hint">
        {pending
          ? "Saving…"
          : blocked ??
            (on ? "The background refresher renews the access token a few minutes before it expires." : "Off: the access token is renewed only on demand.")}
      </span>
    </div>
  );
}
