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
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API keys</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
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

function KeyRow({ apiKey: k }: { apiKey: ApiKeyDto }) {
  return (
    <tr className="border-t border-slate-100 align-top" data-testid={`api-key-row-${k.id}`}>
      <td className="px-4 py-3">
        <Link href={`/settings/api-keys/${k.id}`} className="font-medium text-indigo-600 hover:underline">{k.name}</Link>
      </td>
      <td className="px-4 py-3"><KeyPrefix prefix={k.prefix} /></td>
      <td className="px-4 py-3 whitespace-nowrap" title={k.allConnections ? undefined : k.connections.map((c) => c.name).join(", ")}>
        {scopeText(k)}
      </td>
      <td className="px-4 py-3">
        <div className="flex flex-wrap gap-1">
          {k.permissions.map((p) => (
            <span key={p} title={PERMISSION_LABELS[p].label}><Badge>{PERMISSION_SHORT[p]}</Badge></span>
          ))}
        </div>
      </td>
      <td className="px-4 py-3 text-slate-700">{k.createdBy ?? <span className="text-slate-500">—</span>}</td>
      <td className="px-4 py-3">
        {k.expiresAt === null ? (
          <span className="text-slate-500">Never</span>
        ) : (
          <div className="space-y-1">
            <LocalDateTime ms={k.expiresAt} />
            {k.state === "expired" && <div><Badge tone="amber">Expired</Badge></div>}
          </div>
        )}
      </td>
      <td className="px-4 py-3">
        {k.lastUsedAt === null ? (
          <span className="text-slate-500">Never</span>
        ) : (
          <>
            <LocalDateTime ms={k.lastUsedAt} />
            {k.lastUsedIp && <div className="font-mono text-xs text-slate-500">{k.lastUsedIp}</div>}
          </>
        )}
      </td>
      <td className="px-4 py-3 tabular-nums">{k.calls24h.toLocaleString("en-US")}</td>
      <td className="px-4 py-3"><KeyStateBadge state={k.state} /></td>
      <td className="px-4 py-3 text-right">{k.state !== "revoked" && <RevokeKeyButton id={k.id} name={k.name} />}</td>
    </tr>
  );
}
