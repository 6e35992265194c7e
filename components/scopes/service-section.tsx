import { Building2 } from "lucide-react";
import { Badge, Card } from "@/components/ui/card";
import type { ScopeEntry, ServiceEntry } from "@/lib/zoho/scope-catalogue";
import { apiKey } from "./catalogue-filter";
import { BroadBadge, OperationBadge } from "./scope-badges";

/** The catalogue's prose marks code with backticks, as Zoho's docs do. */
function WithCode({ text }: { text: string }) {
  return text.split("`").map((part, i) =>
    i % 2 ? (
      <code key={i} className="font-mono">
        {part}
      </code>
    ) : (
      part
    ),
  );
}

function ScopeRow({ entry, matchedApis }: { entry: ScopeEntry; matchedApis: Set<string> }) {
  return (
    <li className="grid gap-x-6 gap-y-2 px-5 py-3 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]" data-testid={`scope-${entry.scope}`}>
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-1.5">
          <code className="font-mono text-sm font-medium break-all text-slate-900">{entry.scope}</code>
          <OperationBadge operation={entry.operation} />
          {entry.broad && <BroadBadge />}
          {entry.apiVersion === "v1" && <Badge>v1 API</Badge>}
        </div>
        <p className="mt-1 text-sm text-slate-600">{entry.description}</p>
      </div>
      {entry.apis.length > 0 && (
        <ul aria-label={`API calls that need ${entry.scope}`} className="space-y-1 text-xs">
          {entry.apis.map((a) => {
            const hit = matchedApis.has(apiKey(a));
            return (
              <li key={apiKey(a)} className={hit ? "rounded bg-yellow-50 px-1 ring-1 ring-yellow-200" : "px-1"}>
                <span className="font-medium text-slate-800">{a.name}</span>{" "}
                <span className="font-mono text-slate-500">
                  {a.method} {a.path}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

/** One service of the catalogue: what it is, how its organisations are found, its scopes. */
export function ServiceSection({ service, scopes, matchedApis }: { service: ServiceEntry; scopes: ScopeEntry[]; matchedApis: Set<string> }) {
  const headingId = `service-${service.id}`;
  return (
    <Card className="overflow-hidden">
      <div aria-labelledby={headingId} role="group" data-testid={headingId}>
        <header className="border-b border-slate-100 bg-slate-50/60 px-5 py-4">
          <div className="flex flex-wrap items-baseline gap-2">
            <h2 id={headingId} className="text-base font-semibold text-slate-900">
              {service.name}
            </h2>
            <code className="font-mono text-xs text-slate-500">{service.scopePrefix}.*</code>
            <span className="text-xs text-slate-500">
              · {scopes.length} of {service.scopes.length} scopes
            </span>
          </div>
          <p className="mt-1 text-sm text-slate-600">{service.description}</p>
          <div className="mt-3 flex gap-2 text-xs text-slate-600">
            <Building2 className="mt-0.5 h-4 w-4 shrink-0 text-slate-400" aria-hidden />
            <p>
              <span className="font-medium text-slate-800">Organisations: </span>
              <WithCode text={service.discovery.description} />{" "}
              <span className="md:whitespace-nowrap">
                Found with <code className="font-mono">{service.discovery.method} {service.discovery.path}</code>, which needs{" "}
                <code className="font-mono">{service.discovery.scope}</code>.
              </span>
            </p>
          </div>
        </header>
        <ul className="divide-y divide-slate-100">
          {scopes.map((e) => (
            <ScopeRow key={e.scope} entry={e} matchedApis={matchedApis} />
          ))}
        </ul>
      </div>
    </Card>
  );
}
