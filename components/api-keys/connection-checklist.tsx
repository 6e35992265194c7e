"use client";
import { useId, useMemo, useState } from "react";
import { Badge } from "@/components/ui/card";
import { filterControl } from "@/components/ui/filter-select";
import { cn } from "@/components/ui/cn";
import { filterChoices, type ConnectionChoice } from "./form-helpers";

/**
 * The connections a key may use: a filter box over a scrolling checklist, for consoles with
 * thousands of connections. The choice is held here and submitted as hidden inputs, so a
 * connection filtered out of view stays chosen.
 */
export function ConnectionChecklist({ choices, initial, error }: { choices: ConnectionChoice[]; initial: number[]; error?: string }) {
  const [selected, setSelected] = useState(() => new Set(initial));
  const [query, setQuery] = useState("");
  const { shown, matching } = useMemo(() => filterChoices(choices, query), [choices, query]);
  const base = useId();
  const toggle = (id: number, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const selectShown = () => setSelected((prev) => new Set([...prev, ...shown.map((c) => c.id)]));

  if (choices.length === 0) {
    return <p className="text-sm text-slate-500">There are no connections yet. Allow all connections, and the key covers the ones added later.</p>;
  }
  return (
    <div className="space-y-2">
      {[...selected].map((id) => (
        <input key={id} type="hidden" name="connectionIds" value={id} />
      ))}
      <div className="flex flex-wrap items-center gap-2">
        <input
          type="search"
          aria-label="Filter connections"
          placeholder="Filter connections by name"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          className={cn(filterControl, "w-64 px-3")}
        />
        <button type="button" onClick={selectShown} className="text-xs font-medium text-indigo-600 hover:underline">
          Select all shown
        </button>
        <button type="button" onClick={() => setSelected(new Set())} className="text-xs font-medium text-indigo-600 hover:underline">
          Clear selection
        </button>
        <span className="text-xs text-slate-500" aria-live="polite">
          {selected.size} chosen
        </span>
      </div>
      <div
        role="group"
        aria-label="Connections the key may use"
        aria-describedby={error ? "connectionIds-error" : undefined}
        className={cn("relative max-h-64 overflow-y-auto rounded-md bg-white p-2 ring-1 ring-inset", error ? "ring-red-400" : "ring-slate-300")}
      >
        {shown.length === 0 && <p className="px-1 py-2 text-sm text-slate-500">No connection matches “{query}”.</p>}
        <ul className="space-y-0.5">
          {shown.map((c) => (
            <li key={c.id}>
              <label htmlFor={`${base}-${c.id}`} className="flex items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-slate-50">
                <input id={`${base}-${c.id}`} type="checkbox" checked={selected.has(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
                <span className="truncate">{c.name}</span>
                {c.revoked && <Badge tone="gray">revoked</Badge>}
              </label>
            </li>
          ))}
        </ul>
        {matching > shown.length && (
          <p className="px-1 pt-2 text-xs text-slate-500">
            Showing {shown.length} of {matching} matches; type more of a name to narrow the list.
          </p>
        )}
      </div>
      {error && (
        <p id="connectionIds-error" role="alert" className="text-xs font-medium text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
