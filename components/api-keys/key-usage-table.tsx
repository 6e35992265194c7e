import Link from "next/link";
import { UsageCells, UsageHeadings } from "./key-facts";
import { Card } from "@/components/ui/card";
import type { KeyUsageDto } from "@/lib/api-keys/usage";

/** "Connections it used": the key's calls per connection, most recent first. */
export function KeyUsageTable({ usage }: { usage: KeyUsageDto[] }) {
  return (
    <Card className="overflow-x-auto">
      <div className="px-5 pt-4 pb-2">
        <h2 id="key-usage" className="text-sm font-semibold">Connections it used</h2>
        <p className="mt-1 text-xs text-slate-500">Calls since the key was created, per connection; list calls concern no one connection.</p>
      </div>
      {usage.length === 0 ? (
        <p className="px-5 pb-5 text-sm text-slate-500">No calls yet.</p>
      ) : (
        <table className="w-full text-left text-sm" aria-labelledby="key-usage">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Connection</th>
              <UsageHeadings />
            </tr>
          </thead>
          <tbody>
            {usage.map((u) => (
              <tr key={u.connectionId} className="border-t border-slate-100">
                <td className="px-4 py-3">
                  {u.connectionId === 0 ? (
                    <span className="text-slate-500">— (list calls)</span>
                  ) : u.name === null ? (
                    <span className="text-slate-500">Connection #{u.connectionId} (deleted)</span>
                  ) : (
                    <Link href={`/connections/${u.connectionId}`} className="font-medium text-indigo-600 hover:underline">{u.name}</Link>
                  )}
                </td>
                <UsageCells calls={u.calls} lastCallAt={u.lastCallAt} lastIp={u.lastIp} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
