import Link from "next/link";
import { KeyRound } from "lucide-react";
import { Badge, Card, EmptyState } from "@/components/ui/card";
import { LocalDateTime } from "@/components/ui/local-time";
import type { ApiKeyDto } from "@/lib/api-keys/store";
import { PERMISSION_LABELS } from "@/lib/api-keys/permissions";
import { KeyPrefix, KeyStateBadge, PERMISSION_SHORT, scopeText } from "./key-facts";
import { RevokeKeyButton } from "./revoke-key-button";

const HEADINGS = ["Name", "Prefix", "Scope", "Permissions", "Created by", "Expires", "Last used", "Calls (24 h)", "State"];

export function KeysTable({ keys }: { keys: ApiKeyDto[] }) {
  if (keys.length === 0) {
    return (
      <EmptyState icon={<KeyRound className="h-8 w-8" aria-hidden />} title="No API keys yet">
        An API key lets a service fetch access tokens or call Zoho through this console, instead of holding Zoho secrets itself.
      </EmptyState>
    );
  }
  return (
    <Card className="overflow-x-auto">
      <table className="w-full text-left text-sm max-md:block max-md:[&_td]:p-0 max-md:[&>tbody]:block">
        <caption className="sr-only">API keys</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500 max-md:hidden">
          <tr>
            {HEADINGS.map((h) => (
              <th key={h} scope="col" className="px-4 py-2 font-medium whitespace-nowrap">{h}</th>
            ))}
            <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <KeyRow key={k.id} apiKey={k} />
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/**
 * A table row from `md` up; below it a card (name and prefix, state, expiry, Revoke) placed by
 * grid areas, the other cells hidden.
 */
function KeyRow({ apiKey: k }: { apiKey: ApiKeyDto }) {
  return (
    <tr
      className="border-t border-slate-100 align-top max-md:grid max-md:grid-cols-[minmax(0,1fr)_auto] max-md:gap-x-3 max-md:gap-y-1.5 max-md:px-4 max-md:py-3 max-md:[grid-template-areas:'name_state'_'prefix_state'_'expires_action']"
      data-testid={`api-key-row-${k.id}`}
    >
      <td className="px-4 py-3 max-md:[grid-area:name]">
        <Link href={`/settings/api-keys/${k.id}`} className="font-medium break-words text-indigo-600 hover:underline">{k.name}</Link>
      </td>
      <td className="px-4 py-3 max-md:[grid-area:prefix]"><KeyPrefix prefix={k.prefix} /></td>
      <td className="px-4 py-3 whitespace-nowrap max-md:hidden" title={k.allConnections ? undefined : k.connections.map((c) => c.name).join(", ")}>
        {scopeText(k)}
      </td>
      <td className="px-4 py-3 max-md:hidden">
        <div className="flex flex-wrap gap-1">
          {k.permissions.map((p) => (
            <span key={p} title={PERMISSION_LABELS[p].label}><Badge>{PERMISSION_SHORT[p]}</Badge></span>
          ))}
        </div>
      </td>
      <td className="px-4 py-3 text-slate-700 max-md:hidden">{k.createdBy ?? <span className="text-slate-500">—</span>}</td>
      <td className="px-4 py-3 max-md:self-end max-md:text-xs max-md:[grid-area:expires]">
        {k.expiresAt === null ? (
          <span className="text-slate-500">
            <span className="md:hidden">Expires </span>Never
          </span>
        ) : (
          <div className="space-y-1">
            <span className="text-slate-500 md:hidden">Expires </span>
            <LocalDateTime ms={k.expiresAt} />
            {k.state === "expired" && <div><Badge tone="amber">Expired</Badge></div>}
          </div>
        )}
      </td>
      <td className="px-4 py-3 max-md:hidden">
        {k.lastUsedAt === null ? (
          <span className="text-slate-500">Never</span>
        ) : (
          <>
            <LocalDateTime ms={k.lastUsedAt} />
            {k.lastUsedIp && <div className="font-mono text-xs text-slate-500">{k.lastUsedIp}</div>}
          </>
        )}
      </td>
      <td className="px-4 py-3 tabular-nums max-md:hidden">{k.calls24h.toLocaleString("en-US")}</td>
      <td className="px-4 py-3 max-md:text-right max-md:[grid-area:state]"><KeyStateBadge state={k.state} /></td>
      <td className="px-4 py-3 text-right max-md:[grid-area:action]">{k.state !== "revoked" && <RevokeKeyButton id={k.id} name={k.name} />}</td>
    </tr>
  );
}
