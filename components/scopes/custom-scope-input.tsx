"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { checkCustomScope, SCOPE_EXAMPLE } from "@/lib/scopes/scope-selection";

/** For scopes Zoho documents that the catalogue lacks; the grammar is still enforced. */
export function CustomScopeInput({ idPrefix, onAdd }: { idPrefix: string; onAdd: (scopes: string[]) => void }) {
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const inputId = `${idPrefix}-custom`;

  const add = () => {
    const check = checkCustomScope(value);
    if (!check.ok) {
      setError(check.error);
      setNote(null);
      return;
    }
    onAdd(check.scopes);
    setError(null);
    setValue("");
    setNote(
      check.unknown.length
        ? `Added ${check.unknown.join(", ")}, flagged as unknown to the catalogue.`
        : `Added ${check.scopes.join(", ")}.`,
    );
  };

  return (
    <div className="space-y-1">
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
        Custom scope
      </label>
      <div className="flex gap-2">
        <input
          id={inputId}
          type="text"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key !== "Enter") return;
            e.preventDefault();
            add();
          }}
          placeholder={SCOPE_EXAMPLE}
          autoComplete="off"
          spellCheck={false}
          maxLength={500}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${inputId}-msg`}
          className={`${inputClass(!!error)} font-mono`}
        />
        <Button variant="secondary" onClick={add} className="shrink-0 whitespace-nowrap">
          Add scope
        </Button>
      </div>
      {error ? (
        <p id={`${inputId}-msg`} role="alert" className="text-xs font-medium text-red-600">
          {error}
        </p>
      ) : (
        <p id={`${inputId}-msg`} role="status" className="text-xs text-slate-500">
          {note ?? "Service.scope.OPERATION; paste several separated by commas."}
        </p>
      )}
    </div>
  );
}
