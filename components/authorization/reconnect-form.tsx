"use client";
import { useState } from "react";
import { reconnectAction } from "@/app/(dashboard)/connections/[id]/reconnect/actions";
import { ScopePicker } from "@/components/scopes/scope-picker";
import { FormError, useActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Card } from "@/components/ui/card";
import { PROFILE_SCOPE, scopeDiff } from "@/lib/zoho/scope-string";
import { EvictionGuard } from "./budget-note";
import { ProfileScopeToggle } from "./profile-scope-toggle";
import { ScopeDiffView } from "./scope-diff-view";

const isProfile = (s: string) => s.toLowerCase() === PROFILE_SCOPE.toLowerCase();

export function ReconnectForm({
  connectionId,
  current,
  initial,
  zohoUser,
  revoked = false,
  evicts = [],
}: {
  connectionId: number;
  current: string[];
  initial: string[];
  /** The connection's Zoho user, when known: the profile scope is then required to check who consents. */
  zohoUser?: string;
  /** Revoked: no old refresh token is left to revoke, and the button says what happens. */
  revoked?: boolean;
  /** Connections Zoho drops when this user consents once more: named, and confirmed before Zoho. */
  evicts?: { id: number; name: string }[];
}) {
  const f = useActionForm(reconnectAction);
  const [scopes, setScopes] = useState(initial.filter((s) => !isProfile(s)));
  const [chosen, setChosen] = useState(current.some(isProfile) || initial.some(isProfile));
  const profile = zohoUser !== undefined || chosen;
  const next = profile ? [...scopes, PROFILE_SCOPE] : scopes;
  return (
    <form key={f.round} {...f.props}>
      <input type="hidden" name="connectionId" value={connectionId} />
      <Card className="space-y-4 p-5">
        <FormError failure={f.failure} />
        <ScopePicker name="scopes" defaultValue={scopes} onChange={setScopes} />
        {f.errors?.scopes && (
          <p role="alert" className="text-xs font-medium text-red-600">
            {f.errors.scopes}
          </p>
        )}
        <ProfileScopeToggle
          defaultChecked={profile}
          onChange={setChosen}
          requiredBecause={
            zohoUser === undefined
              ? undefined
              : `Required on a reconnect: it tells the console who consented, so a Zoho user other than ${zohoUser} is refused.`
          }
        />
        <ScopeDiffView diff={scopeDiff(current, next)} />
        <EvictionGuard costs={evicts.map((connection) => ({ connection }))} mustConfirm={evicts.length > 0} error={f.errors?.acceptEviction} reconnect />
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4">
          <p className="text-xs text-slate-600">
            {revoked
              ? "The connection keeps its id, name and history; Zoho's new tokens replace the revoked ones."
              : "The connection keeps its id, name and history. Once Zoho's new token is stored, the old refresh token is revoked."}
          </p>
          <SubmitButton pending={f.pending} pendingLabel="Opening Zoho…" disabled={scopes.length === 0}>
            {revoked ? "Authorize again in Zoho" : "Reconnect in Zoho"}
          </SubmitButton>
        </div>
      </Card>
    </form>
  );
}
