"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { scopesForApi, serviceEntry } from "@/lib/zoho/scope-catalogue";
import { OperationBadge } from "./scope-badges";
import { preventSubmitOnEnter } from "./prevent-submit";

// Enough to scan; a vaguer query should be narrowed, not scrolled.
const MAX_RESULTS = 12;

/** "Pick by API": type what the job calls, get the narrowest scope that allows it. */
export function PickerApiSearch({ idPrefix, selected, onAdd }: { idPrefix: string; selected: string[]; onAdd: (scope: string) => void }) {
  const [query, setQuery] = useState("");
  const chosen = new Set(selected.map((s) => s.toLowerCase()));
  const matches = query.trim() ? scopesForApi(query) : [];

  return (
    <div className="space-y-2">
      <label htmlFor={`${idPrefix}-api`} className="sr-only">
        Search API calls
      </label>
      <input
        id={`${idPrefix}-api`}
        data-picker-focus
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={preventSubmitOnEnter}
        placeholder="e.g. list chats, create a ticket, visitor details"
        autoComplete="off"
        maxLength={200}
        className={inputClass()}
      />
      {!query.trim() && <p className="text-xs text-slate-500">Type the call as Zoho&apos;s API docs name it; the narrowest scope that allows it is suggested.</p>}
      {query.trim() && matches.length === 0 && (
        <p className="text-sm text-slate-600">
          No API call matches “{query.trim()}”. Try fewer words, search <em>By scope</em>, or add the scope as a custom scope below.
        </p>
      )}
      {matches.length > 0 && (
        <ul aria-label="Matching API calls" className="relative max-h-96 divide-y divide-slate-100 overflow-y-auto rounded-md ring-1 ring-slate-200">
          {matches.slice(0, MAX_RESULTS).map((m) => {
            const scope = m.suggested.scope;
            const added = chosen.has(scope.toLowerCase());
            const wider = m.scopes.filter((s) => s !== m.suggested).map((s) => s.scope);
            return (
              <li key={`${m.service} ${m.api.method} ${m.api.path} ${m.api.name}`} className="flex items-start justify-between gap-3 px-3 py-2">
                <div className="min-w-0 text-sm">
                  <div>
                    <span className="font-medium text-slate-900">{m.api.name}</span>{" "}
                    <span className="text-xs text-slate-500">{serviceEntry(m.service).name}</span>
                  </div>
                  <div className="font-mono text-xs break-all text-slate-500">
                    {m.api.method} {m.api.path}
                  </div>
                  <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs">
                    <span className="text-slate-600">Needs</span>
                    <code className="font-mono text-slate-900">{scope}</code>
                    <OperationBadge operation={m.suggested.operation} />
                  </div>
                  {wider.length > 0 && <div className="mt-0.5 text-xs text-slate-500">Also allowed by {wider.join(", ")}</div>}
                </div>
                <Button size="sm" variant={added ? "ghost" : "secondary"} disabled={added} onClick={() => onAdd(scope)} aria-label={added ? `${scope} added` : `Add ${scope} for ${m.api.name}`}>
                  {added ? "Added" : "Add"}
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      {matches.length > MAX_RESULTS && <p className="text-xs text-slate-500">{matches.length - MAX_RESULTS} more; add a word to narrow the search.</p>}
    </div>
  );
}
