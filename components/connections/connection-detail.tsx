"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Alert, Badge, Card } from "@/components/ui/card";
import type { ConnectionDetailDto } from "@/lib/connections/queries";
import { ReadOnlyNote } from "@/components/layout/read-only-note";
import { ConnectionActions } from "./connection-actions";
import { KeepFreshSwitch, keepFreshBlocked } from "./keep-fresh-switch";
import { ScopesCard, BindingCard, WhereCard } from "./detail-cards";
import { StatusBadge } from "./status-badge";
import { countdownText, LocalTime, Relative, useNow } from "./time";
import { ValidityBar } from "./validity-bar";
import { VerifyResults } from "./verify-results";
import { statusOf } from "./status-of";
import type { VerifyRow } from "@/lib/tokens/verify";
import { getJson } from "./get-json";
import { queryKeys } from "@/components/query-keys";

const POLL_MS = 3_000;

async function fetchConnection(id: number): Promise<ConnectionDetailDto> {
  return (await getJson<{ connection: ConnectionDetailDto }>(`/api/connections/${id}`)).connection;
}

const mask = (last4: string | null) => (last4 ? `••••${last4}` : "—");

export function ConnectionDetail({
  initial,
  generatedAt,
  canOperate,
  reconnectLink,
}: {
  initial: ConnectionDetailDto;
  generatedAt: number;
  canOperate: boolean;
  /** Set when "Reconnect link" may be offered (see ConnectionActions). */
  reconnectLink?: { smtpConfigured: boolean } | null;
}) {
  const query = useQuery({
    queryKey: queryKeys.connection(initial.id),
    queryFn: () => fetchConnection(initial.id),
    initialData: initial,
    initialDataUpdatedAt: generatedAt,
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
  const c = query.data;
  useServerPartsFollow(`${c.accessTokenLast4}|${c.facts.revokedAt}|${c.facts.reauthReason}|${c.lastError?.at}`);
  const now = useNow(generatedAt);
  const status = statusOf(c, now);
  const live = !c.facts.revokedAt;
  // Revoked (wiped here) or no longer accepted by Zoho (evicted, revoked there, secret changed):
  // the stored expiry means nothing, so no countdown and no "Expires at".
  const usable = live && !c.facts.reauthReason;
  const [verified, setVerified] = useState<VerifyRow[] | null>(null);

  return (
    <div className="space-y-6">
      {query.isError && <Alert tone="amber">Live updates paused: {query.error.message}. Showing the last known state.</Alert>}
      <Card className="p-5">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0 space-y-1">
            <div className="flex items-center gap-2">
              <h2 className="text-sm font-semibold text-slate-900">Status</h2>
              <StatusBadge status={status} />
            </div>
            <p className="text-sm text-slate-700" data-testid="status-reason">{status.reason}</p>
            <p className="text-sm text-slate-500">
              <span className="font-medium text-slate-700">Next: </span>
              {status.nextAction}
            </p>
            {status.kind === "throttled" && status.at && (
              <p className="text-sm text-amber-800" data-testid="refresh-possible-at">
                Can refresh again at <LocalTime ms={status.at} seconds relative />.
              </p>
            )}
          </div>
          {canOperate ? (
            <ConnectionActions connection={c} statusKind={status.kind} onVerified={setVerified} reconnectLink={reconnectLink} />
          ) : (
            <ReadOnlyNote need="Refreshing, verifying, revoking and reconnecting need an operator or admin." />
          )}
        </div>

        <div className="mt-5 space-y-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
            <span className="font-medium text-slate-800">Access token {mask(c.accessTokenLast4)}</span>
            <span className="font-mono tabular-nums text-slate-700" data-testid="token-countdown" suppressHydrationWarning>
              {!live ? "wiped" : !usable ? "not accepted by Zoho" : countdownText(c.facts.accessTokenExpiresAt, now)}
            </span>
          </div>
          <ValidityBar expiresAt={usable ? c.facts.accessTokenExpiresAt : null} mintedAt={c.lastRefreshAt} now={now} muted={!usable} />
          <dl className="grid gap-x-6 gap-y-2 pt-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
            {usable && (
              <Fact label="Expires at">
                <span data-testid="token-expires-at">
                  <LocalTime ms={c.accessTokenExpiresAt} seconds />
                </span>
              </Fact>
            )}
            <Fact label="Last refresh">
              {c.lastRefreshAt ? <LocalTime ms={c.lastRefreshAt} relative /> : <span className="text-slate-500">not yet (token from the consent)</span>}
            </Fact>
            <Fact label={`Refresh token ${mask(c.refreshTokenLast4)}`}>
              {c.facts.hasRefreshToken ? (
                <>
                  held since <LocalTime ms={c.refreshTokenIssuedAt} relative />
                </>
              ) : c.facts.revokedAt ? (
                "wiped when revoked"
              ) : c.accessType === "online" ? (
                "none (online-only)"
              ) : (
                "none held"
              )}
            </Fact>
            <Fact label="Refreshes in the last 10 min">
              {status.kind === "throttled" && status.at && c.mintBudget ? (
                // Zoho's refusal is the fact; the console's own count may be lower (mints made with
                // this refresh token outside the console count at Zoho too).
                <span data-testid="mint-budget">
                  {c.mintBudget.limit} of {c.mintBudget.limit} at Zoho · next possible <Relative ms={status.at} now={now} />
                  {c.mintBudget.used < c.mintBudget.limit && (
                    <span className="block text-xs text-slate-500">{c.mintBudget.used} of them made through this console</span>
                  )}
                </span>
              ) : c.mintBudget ? (
                <span data-testid="mint-budget">
                  {c.mintBudget.used} of {c.mintBudget.limit}
                  {c.mintBudget.used >= c.mintBudget.limit && (
                    <>
                      {" "}
                      · next possible <Relative ms={c.mintBudget.possibleAt} now={now} />
                    </>
                  )}
                </span>
              ) : (
                "—"
              )}
            </Fact>
          </dl>
          {canOperate ? (
            <KeepFreshSwitch connectionId={c.id} on={c.keepFresh} blocked={keepFreshBlocked(c)} />
          ) : (
            <p className="text-xs text-slate-600">
              {c.keepFresh ? <Badge tone="blue">Kept fresh</Badge> : <Badge>Not kept fresh</Badge>}{" "}
              {c.keepFresh ? "The background refresher renews the access token a few minutes before it expires." : "Refreshed only on demand."}
            </p>
          )}
        </div>
      </Card>

      {verified && <VerifyResults rows={verified} />}

      {c.lastError && (
        <Card className="p-5">
          <h2 className="text-sm font-semibold text-slate-900">Last error</h2>
          <div className="mt-2 space-y-2" data-testid="last-error">
            <Alert tone={status.tone === "red" ? "red" : "amber"}>
              {c.lastError.message} <span className="text-xs opacity-80">({c.lastError.kind}, <LocalTime ms={c.lastError.at} />)</span>
            </Alert>
            {c.lastError.advice && <p className="text-sm text-slate-600"><span className="font-medium text-slate-800">What to do: </span>{c.lastError.advice}</p>}
          </div>
        </Card>
      )}

      <div className="grid gap-6 lg:grid-cols-2">
        <WhereCard connection={c} />
        <BindingCard connection={c} canOperate={canOperate} />
      </div>
      <ScopesCard connection={c} />
      <p className="text-xs text-slate-500">
        Actions on this connection are recorded in the{" "}
        <Link href={`/audit?connection=${c.id}`} className="text-indigo-600 hover:underline">audit trail</Link>.
      </p>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-slate-800">{children}</dd>
    </div>
  );
}

/**
 * The token timeline and history below are rendered on the server. When polling shows that the
 * tokens changed (a background refresh, a revoke elsewhere), fetch them anew.
 */
function useServerPartsFollow(version: string) {
  const router = useRouter();
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    router.refresh();
  }, [version, router]);
}
