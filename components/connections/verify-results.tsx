import { Badge, Card } from "@/components/ui/card";
import type { VerifyRow } from "@/lib/tokens/verify";
import { serviceName } from "./detail-cards";

export function VerifyResults({ rows }: { rows: VerifyRow[] }) {
  return (
    <Card className="overflow-x-auto">
      <h2 className="px-5 pt-4 pb-2 text-sm font-semibold text-slate-900">Verify: one real call per service</h2>
      <table className="w-full text-left text-sm" data-testid="verify-results">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-5 py-2 font-medium">Service</th>
            <th scope="col" className="px-5 py-2 font-medium">Result</th>
            <th scope="col" className="px-5 py-2 text-right font-medium">Latency</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.service} className="border-t border-slate-100 align-top">
              <td className="px-5 py-2 font-medium">{serviceName(r.service)}</td>
              <td className="px-5 py-2">
                <Badge tone={r.ok ? "green" : "red"}>{r.ok ? "OK" : "Failed"}</Badge> <span className="text-slate-700">{r.summary}</span>
                {r.advice && <p className="mt-1 text-xs text-slate-500">{r.advice}</p>}
              </td>
              <td className="px-5 py-2 text-right tabular-nums text-slate-600">{r.latencyMs} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
