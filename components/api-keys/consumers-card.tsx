import Link from "next/link";
import { Badge, Card } from "@/components/ui/card";
import type { ConsumerDto } from "@/lib/api-keys/usage";
import { KeyPrefix, UsageCells, UsageHeadings } from "./key-facts";

/** The API keys (services) that called about a connection, on the connection's page. */
export function ConsumersCard({ consumers, canManageKeys }: { consumers: ConsumerDto[]; canManageKeys: boolean }) {
  return (
    <Card className="overflow-x-auto">
      <div className="px-5 pt-4 pb-2">
        <h2 id="api-consumers" className="text-sm font-semibold">API consumers</h2>
        <p className="mt-1 text-xs text-slate-500">Services that used this connection through the console&apos;s API, by their key.</p>
      </div>
      {consumers.length === 0 ? (
        <p className="px-5 pb-5 text-sm text-slate-500">
          No service has used this connection through the API yet.
          {canManageKeys && (
            <>
              {" "}
              <Link href="/settings/api-keys" className="font-medium text-indigo-600 hover:underline">Manage API keys</Link>
            </>
          )}
        </p>
      ) : (
        <table className="w-full text-left text-sm" aria-labelledby="api-consumers">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Key</th>
              <th scope="col" className="px-4 py-2 font-medium">Prefix</th>
              <UsageHeadings />
            </tr>
          </thead>
          <tbody>
            {consumers.map((c) => (
              <tr key={c.keyId} className="border-t border-slate-100">
                <td className="px-4 py-3">
                  <span className="flex flex-wrap items-center gap-2">
                    {canManageKeys ? (
                      <Link href={`/settings/api-keys/${c.keyId}`} className="font-medium text-indigo-600 hover:underline">{c.name}</Link>
                    ) : (
                      <span className="font-medium text-slate-900">{c.name}</span>
                    )}
                    {c.revoked && <Badge>revoked</Badge>}
                  </span>
                </td>
                <td className="px-4 py-3"><KeyPrefix prefix={c.prefix} /></td>
                <UsageCells calls={c.calls} lastCallAt={c.lastCallAt} lastIp={c.lastIp} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
