"use client";
import { useState } from "react";
import { inputClass } from "@/components/ui/field";
import { searchCatalogue, SERVICES } from "@/lib/zoho/scope-catalogue";
import { BroadBadge, OperationBadge } from "./scope-badges";
import { preventSubmitOnEnter } from "./prevent-submit";

/** Every catalogue scope as a checkbox, grouped by service, narrowed by a search box. */
export function PickerScopeList({ idPrefix, selected, onToggle }: { idPrefix: string; selected: string[]; onToggle: (scope: string) => void }) {
  const [query, setQuery] = useState("");
  const hits = new Set(searchCatalogue(query));
  const chosen = new Set(selected.map((s) => s.toLowerCase()));
  const groups = SERVICES.map((service) => ({ service, scopes: service.scopes.filter((e) => hits.has(e)) })).filter((g) => g.scopes.length);

  return (
    <div className="space-y-2">
      <label htmlFor={`${idPrefix}-search`} className="sr-only">
        Search scopes
      </label>
      <input
        id={`${idPrefix}-search`}
        data-picker-focus
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={preventSubmitOnEnter}
        placeholder="Search scopes: tickets, visitors, READ…"
        autoComplete="off"
        maxLength={200}
        className={inputClass()}
      />
      <div className="relative max-h-96 overflow-y-auto rounded-md ring-1 ring-slate-200">
        {groups.length === 0 && (
          <p className="px-3 py-6 text-center text-sm text-slate-600">
            No scope matches “{query.trim()}”. Try the API call the job makes under <em>By API call</em>, or add it as a custom scope
            below.
          </p>
        )}
        {groups.map(({ service, scopes }) => {
          const picked = service.scopes.filter((e) => chosen.has(e.scope.toLowerCase())).length;
          return (
            <fieldset key={service.id} className="border-b border-slate-100 last:border-b-0">
              <legend className="sr-only">{service.name}</legend>
              <div aria-hidden className="sticky top-0 z-10 flex justify-between bg-slate-50 px-3 py-1.5 text-xs font-semibold text-slate-700">
                <span>{service.name}</span>
                {picked > 0 && <span className="font-normal text-indigo-700">{picked} selected</span>}
              </div>
              <ul>
                {scopes.map((e) => {
                  const descId = `${idPrefix}-${e.scope}-desc`;
                  return (
                    <li key={e.scope}>
                      <label className="flex cursor-pointer items-start gap-2.5 px-3 py-1.5 hover:bg-slate-50">
                        <input
                          type="checkbox"
                          aria-label={e.scope}
                          aria-describedby={descId}
                          checked={chosen.has(e.scope.toLowerCase())}
                          onChange={() => onToggle(e.scope)}
                          className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-indigo-600"
                        />
                        <span className="min-w-0">
                          <span className="flex flex-wrap items-center gap-1.5">
                            <code className="font-mono text-xs break-all text-slate-900">{e.scope}</code>
                            <OperationBadge operation={e.operation} />
                            {e.broad && <BroadBadge />}
                          </span>
                          <span id={descId} className="block text-xs text-slate-500">
                            {e.description}
                          </span>
                        </span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          );
        })}
      </div>
    </div>
  );
}
