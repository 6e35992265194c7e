"use client";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { cn } from "@/components/ui/cn";
import { CustomScopeInput } from "./custom-scope-input";
import { PickerApiSearch } from "./picker-api-search";
import { PickerScopeList } from "./picker-scope-list";
import { PickerSummary } from "./picker-summary";
import { normaliseSelection, selectionReducer, validateScopeSelection, type SelectionAction } from "@/lib/scopes/scope-selection";

const MODES = [
  { id: "scope", label: "By scope" },
  { id: "api", label: "By API call" },
] as const;
type Mode = (typeof MODES)[number]["id"];

interface ScopePickerProps {
  /** Form field name; the value is the comma-separated scope string sent to Zoho. */
  name: string;
  defaultValue?: string[];
  onChange?: (scopes: string[]) => void;
  /** Defaults to true: Zoho refuses an empty scope, so an empty choice blocks the form. */
  required?: boolean;
}

/**
 * Chooses the scopes of a connection. Uncontrolled like a native input: it owns its selection,
 * reports it through `onChange` and a hidden field, and resets with its form.
 */
export function ScopePicker({ name, defaultValue, onChange, required = true }: ScopePickerProps) {
  const idPrefix = useId();
  const initial = useRef(defaultValue);
  const [selected, setSelected] = useState(() => normaliseSelection(defaultValue ?? []));
  const [mode, setMode] = useState<Mode>("scope");
  const [showEmptyError, setShowEmptyError] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const validity = useRef<HTMLInputElement>(null);
  const latestOnChange = useRef(onChange);
  const error = selected.length === 0 && !required ? null : validateScopeSelection(selected);

  const dispatch = (action: SelectionAction) => {
    const next = selectionReducer(selected, action);
    if (next === selected) return;
    setSelected(next);
    onChange?.(next);
  };

  // A hidden input takes no part in constraint validation, so a visually hidden twin carries
  // the message and stops the enclosing form from submitting an empty choice.
  useEffect(() => {
    validity.current?.setCustomValidity(error ?? "");
  }, [error]);

  useEffect(() => {
    latestOnChange.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const form = validity.current?.form;
    if (!form) return;
    const onReset = () => {
      const reset = normaliseSelection(initial.current ?? []);
      setSelected(reset);
      setShowEmptyError(false);
      latestOnChange.current?.(reset);
    };
    form.addEventListener("reset", onReset);
    return () => form.removeEventListener("reset", onReset);
  }, []);

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const next = MODES[(MODES.findIndex((m) => m.id === mode) + 1) % MODES.length].id;
    setMode(next);
    document.getElementById(`${idPrefix}-tab-${next}`)?.focus();
  };

  return (
    <div ref={root} role="group" aria-label="Scopes" className="relative space-y-4">
      <input type="hidden" name={name} value={selected.join(",")} />
      <input
        ref={validity}
        tabIndex={-1}
        aria-hidden
        required={required}
        value={selected.join(",")}
        onChange={() => undefined}
        onInvalid={(e) => {
          // Our own message replaces the browser's bubble, which would point at an invisible box.
          e.preventDefault();
          setShowEmptyError(true);
          root.current?.querySelector<HTMLInputElement>("[data-picker-focus]")?.focus();
        }}
        className="pointer-events-none absolute top-0 left-0 h-px w-px opacity-0"
      />

      <PickerSummary
        selected={selected}
        required={required}
        showEmptyError={showEmptyError}
        onRemove={(scope) => dispatch({ type: "remove", scope })}
        onAdd={(scope) => dispatch({ type: "add", scopes: [scope] })}
      />

      <div>
        <div role="tablist" aria-label="Pick scopes" className="mb-3 inline-flex rounded-md bg-slate-100 p-0.5">
          {MODES.map((m) => (
            <button
              key={m.id}
              id={`${idPrefix}-tab-${m.id}`}
              type="button"
              role="tab"
              aria-selected={mode === m.id}
              aria-controls={`${idPrefix}-panel`}
              tabIndex={mode === m.id ? 0 : -1}
              onClick={() => setMode(m.id)}
              onKeyDown={onTabKey}
              className={cn(
                "rounded px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600",
                mode === m.id ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900",
              )}
            >
              {m.label}
            </button>
          ))}
        </div>
        <div id={`${idPrefix}-panel`} role="tabpanel" aria-labelledby={`${idPrefix}-tab-${mode}`}>
          {mode === "scope" ? (
            <PickerScopeList idPrefix={idPrefix} selected={selected} onToggle={(scope) => dispatch({ type: "toggle", scope })} />
          ) : (
            <PickerApiSearch idPrefix={idPrefix} selected={selected} onAdd={(scope) => dispatch({ type: "add", scopes: [scope] })} />
          )}
        </div>
      </div>

      <CustomScopeInput idPrefix={idPrefix} onAdd={(scopes) => dispatch({ type: "add", scopes })} />
    </div>
  );
}
