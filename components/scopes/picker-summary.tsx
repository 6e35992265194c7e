"use client";
import { AlertTriangle, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EMPTY_SELECTION_MESSAGE, selectionNotes } from "@/lib/scopes/scope-selection";

/** What will be sent: the exact scope string, the chosen scopes as chips, and every warning. */
export function PickerSummary({
  selected,
  required,
  showEmptyError,
  onRemove,
  onAdd,
}: {
  selected: string[];
  required: boolean;
  showEmptyError: boolean;
  onRemove: (scope: string) => void;
  onAdd: (scope: string) => void;
}) {
  const notes = selectionNotes(selected);
  const unknown = new Set(notes.unknown);
  const count = selected.length;
  return (
    <div className="space-y-3">
      <div>
        <div className="mb-1 flex items-baseline justify-between gap-2">
          <span className="text-sm font-medium text-slate-800">Scope string</span>
          <span className="text-xs text-slate-500" data-testid="scope-count">
            {count === 1 ? "1 scope selected" : `${count} scopes selected`}
          </span>
        </div>
        <div className="rounded-md bg-slate-900 px-3 py-2 font-mono text-sm text-slate-100">
          <output aria-label="Scope string" data-testid="scope-string" className="block break-all">
            {selected.join(",")}
          </output>
          {count === 0 && <span className="text-slate-300">Nothing chosen yet</span>}
        </div>
      </div>

      {count === 0 && required && (
        <p role={showEmptyError ? "alert" : undefined} className={cn("text-sm", showEmptyError ? "font-medium text-red-600" : "text-slate-500")}>
          {EMPTY_SELECTION_MESSAGE}
          {showEmptyError ? "." : " below, by scope or by the API call the job makes."}
        </p>
      )}

      {count > 0 && (
        <ul aria-label="Selected scopes" className="flex flex-wrap gap-1.5">
          {selected.map((scope) => (
            <li
              key={scope}
              className={cn(
                "inline-flex items-center gap-1 rounded-full py-0.5 pr-1 pl-2.5 font-mono text-xs ring-1 ring-inset",
                unknown.has(scope) ? "bg-amber-50 text-amber-900 ring-amber-300" : "bg-indigo-50 text-indigo-800 ring-indigo-200",
              )}
            >
              {scope}
              {unknown.has(scope) && <span className="font-sans text-[11px] text-amber-700">(unknown)</span>}
              <button
                type="button"
                onClick={() => onRemove(scope)}
                aria-label={`Remove ${scope}`}
                className="rounded-full p-0.5 hover:bg-white/80 focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                <X className="h-3 w-3" aria-hidden />
              </button>
            </li>
          ))}
        </ul>
      )}

      {notes.broad.length > 0 && (
        <Alert tone="amber">
          <div className="flex gap-2" data-testid="broad-warning">
            <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
            <div>
              <p className="font-medium">Broad scope{notes.broad.length > 1 ? "s" : ""}</p>
              <ul className="mt-0.5 space-y-0.5">
                {notes.broad.map((b) => (
                  <li key={b.scope}>
                    <code className="font-mono">{b.scope}</code> grants every operation on {b.resource}, deleting included.
                  </li>
                ))}
              </ul>
              <p className="mt-1">If the job only reads or only creates, pick those operations instead.</p>
            </div>
          </div>
        </Alert>
      )}

      {notes.unknown.length > 0 && (
        <Alert tone="amber">
          <p data-testid="unknown-warning">
            {notes.unknown.map((s, i) => (
              <span key={s}>
                {i > 0 && ", "}
                <code className="font-mono">{s}</code>
              </span>
            ))}{" "}
            {notes.unknown.length > 1 ? "are" : "is"} unknown to the catalogue. It is well-formed and will be sent, but check the
            spelling against Zoho&apos;s documentation: Zoho stops at the consent page with <code className="font-mono">invalid_scope</code>{" "}
            for a scope it does not know.
          </p>
        </Alert>
      )}

      {notes.missingDiscovery.map(({ service, scope, purpose }) => (
        <Alert key={scope} tone="blue">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p>
              Add <code className="font-mono">{scope}</code> to {purpose}: Zoho answers {service.name}&apos;s discovery call only for a
              token that holds it.
            </p>
            <Button size="sm" variant="secondary" onClick={() => onAdd(scope)}>
              Add {scope}
            </Button>
          </div>
        </Alert>
      ))}
    </div>
  );
}
