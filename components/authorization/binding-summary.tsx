import type { OrgBinding } from "@/lib/authorization/binding-plan";

/** The organisation each service is bound to, as a definition list. */
export function BindingSummary({ binding, services }: { binding: OrgBinding; services: string[] }) {
  const rows: [string, string][] = [];
  if (services.includes("desk")) {
    rows.push(["Desk organisation", binding.desk ? `${binding.desk.name} (orgId ${binding.desk.orgId})` : "Not bound"]);
  }
  if (services.includes("salesiq")) {
    rows.push(["SalesIQ portal", binding.salesiq ? `${binding.salesiq.name} (${binding.salesiq.screenName})` : "Not bound"]);
  }
  if (services.includes("assist")) {
    const a = binding.assist;
    rows.push([
      "Assist organisation",
      a ? `${a.name}${a.environment ? ` — ${a.environment}` : ""} (${a.orgId})` : "Not bound",
    ]);
    if (a) rows.push(["Assist department", a.departmentName ? `${a.departmentName} (${a.departmentId})` : "Not chosen"]);
  }
  if (rows.length === 0) return null;
  return (
    <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]" data-testid="binding-summary">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-500">{k}</dt>
          <dd className="text-slate-900">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
