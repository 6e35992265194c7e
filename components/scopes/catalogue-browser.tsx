"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import { SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { inputClass, Select } from "@/components/ui/field";
import { SCOPE_OPERATIONS, SERVICES } from "@/lib/zoho/scope-catalogue";
import { catalogueSearch, EMPTY_FILTER, filterCatalogue, isFiltered, type CatalogueFilter } from "./catalogue-filter";
import { ServiceSection } from "./service-section";

/**
 * Filters in the browser (the catalogue is small static data) and mirrors the filter into the
 * URL with replaceState, so a search can be shared without a server round trip per keystroke.
 */
export function CatalogueBrowser({ initial }: { initial: CatalogueFilter }) {
  const [filter, setFilter] = useState(initial);
  const search = useRef<HTMLInputElement>(null);
  const result = useMemo(() => filterCatalogue(filter), [filter]);

  useEffect(() => {
    const url = `${window.location.pathname}${catalogueSearch(filter)}${window.location.hash}`;
    window.history.replaceState(window.history.state, "", url);
  }, [filter]);

  // "/" jumps to search, as on GitHub and MDN, unless the user is typing somewhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== "/" || e.metaKey || e.ctrlKey || e.altKey) return;
      if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
      e.preventDefault();
      search.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const set = (patch: Partial<CatalogueFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const services = result.groups.length;

  return (
    <div className="space-y-4">
      {/* A plain GET form, so the search also works before the page's script has loaded. */}
      <form role="search" action="/scopes" onSubmit={(e) => e.preventDefault()} className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor="catalogue-q" className="mb-1 block text-sm font-medium text-slate-800">
            Search the catalogue
          </label>
          <div className="relative">
            <input
              ref={search}
              id="catalogue-q"
              name="q"
              type="search"
              value={filter.q}
              onChange={(e) => set({ q: e.target.value })}
              placeholder="Service, scope, operation or API call, e.g. list chats"
              aria-describedby="catalogue-count"
              maxLength={200}
              autoComplete="off"
              className={inputClass()}
            />
            <kbd aria-hidden className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border border-slate-200 px-1.5 text-xs text-slate-400 max-md:hidden">
              /
            </kbd>
          </div>
        </div>
        <div className="w-44">
          <label htmlFor="catalogue-service" className="mb-1 block text-sm font-medium text-slate-800">
            Service
          </label>
          <Select id="catalogue-service" name="service" value={filter.service} onChange={(e) => set({ service: e.target.value as CatalogueFilter["service"] })}>
            <option value="">All services</option>
            {SERVICES.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="w-44">
          <label htmlFor="catalogue-operation" className="mb-1 block text-sm font-medium text-slate-800">
            Operation
          </label>
          <Select
            id="catalogue-operation"
            name="operation"
            value={filter.operation}
            onChange={(e) => set({ operation: e.target.value as CatalogueFilter["operation"] })}
          >
            <option value="">Any operation</option>
            {SCOPE_OPERATIONS.map((op) => (
              <option key={op} value={op}>
                {op}
              </option>
            ))}
          </Select>
        </div>
        {isFiltered(filter) && (
          <Button variant="ghost" onClick={() => setFilter(EMPTY_FILTER)}>
            Clear filters
          </Button>
        )}
      </form>

      <p id="catalogue-count" aria-live="polite" className="text-sm text-slate-600">
        {result.total === 1 ? "1 scope" : `${result.total} scopes`} in {services === 1 ? "1 service" : `${services} services`}
      </p>

      {result.total === 0 ? (
        <EmptyState
          icon={<SearchX className="h-8 w-8" aria-hidden />}
          title={filter.q.trim() ? `No scope matches “${filter.q.trim()}”` : "No scope matches these filters"}
          action={
            <Button variant="secondary" onClick={() => setFilter(EMPTY_FILTER)}>
              Show the whole catalogue
            </Button>
          }
        >
          Try an API call as Zoho names it (<em>list chats</em>, <em>create a ticket</em>), a resource (<em>tickets</em>,{" "}
          <em>visitors</em>), a full scope such as <code className="font-mono">Desk.tickets.READ</code>, or widen the service and
          operation filters. A scope Zoho documents but the catalogue lacks can still be added as a custom scope in the builder.
        </EmptyState>
      ) : (
        result.groups.map((g) => <ServiceSection key={g.service.id} service={g.service} scopes={g.scopes} matchedApis={result.matchedApis} />)
      )}
    </div>
  );
}
