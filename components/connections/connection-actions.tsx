"use client";
import { useQueryClient } from "@tanstack/react-query";
import { RefreshCw, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { useTransition } from "react";
import { toast } from "sonner";
import { refreshNowAction, revokeAction, verifyAction } from "@/app/(dashboard)/connections/[id]/actions";
import { ReconnectLinkButton } from "@/components/connect-links/reconnect-link-button";
import { Button, buttonClass } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import type { StatusKind } from "@/lib/connection-status";
import type { ConnectionDetailDto } from "@/lib/connections/queries";
import type { VerifyRow } from "@/lib/tokens/verify";
import { callAction } from "@/components/ui/call-action";
import { queryKeys } from "@/components/query-keys";

const form = (id: number) => {
  const fd = new FormData();
  fd.set("connectionId", String(id));
  return fd;
};

const RECONNECT_FIRST = new Set<StatusKind>(["needs_reauth", "online_expired", "revoked"]);

export function ConnectionActions({
  connection: c,
  statusKind,
  onVerified,
  reconnectLink,
}: {
  connection: ConnectionDetailDto;
  statusKind: StatusKind;
  onVerified: (rows: VerifyRow[]) => void;
  /** Set when a reconnect link may be offered: a server-based client and a role that may connect. */
  reconnectLink?: { smtpConfigured: boolean } | null;
}) {
  const queryClient = useQueryClient();
  const [refreshing, startRefresh] = useTransition();
  const [verifying, startVerify] = useTransition();
  const [revoking, startRevoke] = useTransition();
  const busy = refreshing || verifying || revoking;
  const revoked = !!c.facts.revokedAt;
  // Refreshing cannot help these; reconnecting is the way out, so it becomes the main button.
  const reconnectFirst = RECONNECT_FIRST.has(statusKind);
  const reload = () => queryClient.invalidateQueries({ queryKey: queryKeys.connection(c.id) });

  const refresh = () =>
    startRefresh(async () => {
      const r = await callAction(() => refreshNowAction(form(c.id)));
      if (r.ok) toast.success(r.message);
      else toast.error(r.error);
      await reload();
    });
  const verify = () =>
    startVerify(async () => {
      const r = await callAction(() => verifyAction(form(c.id)));
      if (r.ok && "results" in r && r.results) {
        onVerified(r.results);
        toast[r.results.every((x) => x.ok) ? "success" : "warning"](r.message);
      } else if (!r.ok) toast.error(r.error);
      await reload();
    });
  const revoke = () =>
    startRevoke(async () => {
      const r = await callAction(() => revokeAction(form(c.id)));
      if (r.ok) toast.success(r.message);
      else toast.error(r.error, { duration: 10_000 });
      await reload();
    });

  return (
    <div className="flex flex-wrap items-center gap-2">
      {!revoked && (
        <>
          {!reconnectFirst && (
            <Button size="sm" onClick={refresh} disabled={busy || !c.facts.hasRefreshToken}>
              <RefreshCw className={refreshing ? "h-3.5 w-3.5 animate-spin" : "h-3.5 w-3.5"} aria-hidden />
              {refreshing ? "Refreshing…" : "Refresh now"}
            </Button>
          )}
          <Button size="sm" variant="secondary" onClick={verify} disabled={busy}>
            <ShieldCheck className="h-3.5 w-3.5" aria-hidden />
            {verifying ? "Verifying…" : "Verify"}
          </Button>
          <ConfirmButton label={revoking ? "Revoking…" : "Revoke"} title={`Revoke ${c.name}?`} confirmLabel="Revoke at Zoho" disabled={busy} onConfirm={revoke}>
            The refresh token is revoked at <span className="font-mono text-xs">{c.accountsServer}</span>, which kills every access token minted
            from it; then the stored tokens are wiped. The connection&apos;s history stays. Jobs using it stop working until it is reconnected.
          </ConfirmButton>
        </>
      )}
      <Link href={`/connections/${c.id}/reconnect`} className={buttonClass(reconnectFirst ? "primary" : "secondary", "sm")}>
        Reconnect
      </Link>
      {/* For a Zoho user without a console account: the same consent, through a link they open. */}
      {reconnectFirst && reconnectLink && (
        <ReconnectLinkButton
          connectionId={c.id}
          connectionName={c.name}
          zohoEmail={c.zohoUser.email}
          smtpConfigured={reconnectLink.smtpConfigured}
          disabled={busy}
        />
      )}
    </div>
  );
}
