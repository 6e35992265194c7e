import Link from "next/link";
import { Badge, Card } from "@/components/ui/card";
import type { ConnectionDetailDto } from "@/lib/connections/queries";

const SERVICE_NAMES: Record<string, string> = { desk: "Desk", assist: "Assist", salesiq: "SalesIQ", profile: "Profile" };

export function serviceName(s: string) {
  return SERVICE_NAMES[s] ?? s;
}

function Row({ label, children, mono }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div className="grid grid-cols-3 gap-3 border-t border-slate-100 px-5 py-2.5 text-sm first:border-t-0">
      <dt className="text-slate-500">{label}</dt>
      <dd className={mono ? "col-span-2 break-all font-mono text-xs leading-5 text-slate-800" : "col-span-2 text-slate-800"}>{children}</dd>
    </div>
  );
}

export function WhereCard({ connection: c }: { connection: ConnectionDetailDto }) {
  return (
    <Card>
      <h2 className="px-5 pt-4 pb-2 text-sm font-semibold text-slate-900">Where it lives</h2>
      <dl>
        <Row label="Zoho user">
          {c.zohoUser.name || c.zohoUser.email || "unknown"}
          {c.zohoUser.email && c.zohoUser.name && <span className="text-slate-500"> · {c.zohoUser.email}</span>}
          {c.zohoUser.zuid && <span className="block text-xs text-slate-500">ZUID {c.zohoUser.zuid}</span>}
        </Row>
        <Row label="Client">
          <Link href="/clients" className="text-indigo-600 hover:underline">{c.client.name}</Link>
          {c.client.realm === "sandbox" && <span className="ml-2"><Badge>sandbox</Badge></span>}
        </Row>
        <Row label="Data centre">{c.dcLabel} ({c.location})</Row>
        <Row label="Accounts server" mono>{c.accountsServer}</Row>
        <Row label="API domain" mono>{c.apiDomain}</Row>
        <Row label="Access type">{c.accessType === "offline" ? "Offline (refresh token)" : "Online only (no refresh token)"}</Row>
      </dl>
    </Card>
  );
}

export function BindingCard({ connection: c, canOperate }: { connection: ConnectionDetailDto; canOperate: boolean }) {
  const b = c.binding;
  const rows = [
    b.desk && { service: "Desk", name: b.desk.name, detail: `org id ${b.desk.orgId}${b.desk.portalName ? ` · portal ${b.desk.portalName}` : ""}` },
    b.assist && {
      service: "Assist",
      name: b.assist.name,
      detail: [`org ${b.assist.orgId}`, b.assist.environment, b.assist.departmentName && `department ${b.assist.departmentName}`].filter(Boolean).join(" · "),
    },
    b.salesiq && { service: "SalesIQ", name: b.salesiq.name, detail: `screen name ${b.salesiq.screenName}` },
  ].filter((r): r is { service: string; name: string; detail: string } => !!r);
  const unbound = c.services.filter((s) => s !== "profile" && !(s in b));
  return (
    <Card>
      <div className="flex items-center justify-between px-5 pt-4 pb-2">
        <h2 className="text-sm font-semibold text-slate-900">Organisation binding</h2>
        {canOperate && !c.facts.revokedAt && (
          <Link href={`/connections/${c.id}/binding`} className="text-sm text-indigo-600 hover:underline">
            Change binding
          </Link>
        )}
      </div>
      <dl>
        {rows.map((r) => (
          <Row key={r.service} label={r.service}>
            {r.name}
            <span className="block text-xs text-slate-500">{r.detail}</span>
          </Row>
        ))}
        {unbound.map((s) => (
          <Row key={s} label={serviceName(s)}>
            <span className="text-amber-700">Not bound: calls to {serviceName(s)} need an organisation.</span>
          </Row>
        ))}
        {rows.length === 0 && unbound.length === 0 && <Row label="—">No service of this connection needs an organisation.</Row>}
      </dl>
    </Card>
  );
}

export function ScopesCard({ connection: c }: { connection: ConnectionDetailDto }) {
  const granted = new Set(c.scopesGranted.map((s) => s.toLowerCase()));
  const requested = new Set(c.scopesRequested.map((s) => s.toLowerCase()));
  const all = [...new Set([...c.scopesRequested, ...c.scopesGranted])];
  return (
    <Card className="overflow-x-auto">
      <h2 className="px-5 pt-4 pb-2 text-sm font-semibold text-slate-900">Scopes requested and granted</h2>
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-5 py-2 font-medium">Scope</th>
            <th scope="col" className="px-5 py-2 font-medium">Requested</th>
            <th scope="col" className="px-5 py-2 font-medium">Granted</th>
          </tr>
        </thead>
        <tbody>
          {all.map((s) => {
            const g = granted.has(s.toLowerCase());
            const r = requested.has(s.toLowerCase());
            return (
              <tr key={s} className="border-t border-slate-100">
                <td className="px-5 py-2 font-mono text-xs">{s}</td>
                <td className="px-5 py-2">{r ? "Yes" : <span className="text-slate-500">No</span>}</td>
                <td className="px-5 py-2">{g ? <Badge tone="green">Granted</Badge> : <Badge tone="amber">Not granted</Badge>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}
