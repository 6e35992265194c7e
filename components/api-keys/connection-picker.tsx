"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Check, X } from "lucide-react";
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { queryKeys } from "@/components/query-keys";
import { getJson } from "@/components/connections/get-json";
import { Badge } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { toggleChoice, type ChosenConnection, type ConnectionChoice } from "./form-helpers";

const DEBOUNCE_MS = 200;

/**
 * The connections a key may use: a combobox that asks the server for the connections matching
 * what is typed (a few at a time, so the page does not carry the whole fleet), a listbox of them
 * where Enter or a click adds or removes one, and the chosen ones as removable chips. The choice
 * is submitted as one hidden `connectionIds` input each, as the server action reads it.
 */
export function ConnectionPicker({ initial, error }: { initial: ChosenConnection[]; error?: string }) {
  const [chosen, setChosen] = useState<ChosenConnection[]>(initial);
  const [text, setText] = useState("");
  const [term, setTerm] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const input = useRef<HTMLInputElement>(null);
  const base = useId();
  const inputId = `${base}-input`;
  const listId = `${base}-list`;
  const hintId = `${base}-hint`;

  const search = useQuery({
    queryKey: queryKeys.connectionChoices(term),
    queryFn: () => getJson<{ choices: ConnectionChoice[]; more: boolean }>(`/api/connections/choices?q=${encodeURIComponent(term)}`),
    enabled: open,
    staleTime: 10_000,
    placeholderData: keepPreviousData,
  });
  // Only the answer for what is typed now may be acted on: Enter must not pick from an older list.
  const settled = term === text.trim() && !search.isPlaceholderData;
  const options = open && settled && search.data ? search.data.choices : [];
  const current = Math.min(active, Math.max(options.length - 1, 0));
  const optionId = (id: number) => `${listId}-${id}`;
  const isChosen = (id: number) => chosen.some((c) => c.id === id);

  const toggle = (c: ConnectionChoice) => setChosen((now) => toggleChoice(now, c));
  const remove = (c: ChosenConnection) => {
    setChosen((now) => now.filter((x) => x.id !== c.id));
    input.current?.focus();
  };
  const type = (v: string) => {
    setText(v);
    setOpen(true);
    setActive(0);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setTerm(v.trim()), DEBOUNCE_MS);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) return setOpen(true);
      if (options.length) setActive((current + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length);
    } else if (e.key === "Enter") {
      // Enter picks in the list; it never submits the key form from here.
      e.preventDefault();
      if (options[current]) toggle(options[current]);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      setOpen(false);
    } else if (e.key === "Backspace" && text === "" && chosen.length) {
      setChosen((now) => now.slice(0, -1));
    }
  };

  const status = !open
    ? null
    : search.isError
      ? `Connections could not be searched: ${search.error.message}.`
      : !settled || !search.data
        ? "Searching…"
        : options.length === 0
          ? text.trim()
            ? `No connection matches “${text.trim()}”.`
            : "There are no connections yet. Allow all connections, and the key covers the ones added later."
          : search.data.more
            ? `The first ${options.length} matches; type more of a name to narrow them.`
            : `${options.length} ${options.length === 1 ? "match" : "matches"}.`;

  return (
    <div className="space-y-2">
      {chosen.map((c) => (
        <input key={c.id} type="hidden" name="connectionIds" value={c.id} />
      ))}
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
        Find connections
      </label>
      <div className="relative max-w-md">
        <input
          ref={input}
          id={inputId}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={options[current] ? optionId(options[current].id) : undefined}
          aria-describedby={error ? "connectionIds-error" : hintId}
          aria-invalid={error ? true : undefined}
          placeholder="Type part of a name"
          value={text}
          onChange={(e) => type(e.target.value)}
          onFocus={() => setOpen(true)}
          onClick={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          className={inputClass(!!error)}
        />
        <div
          hidden={!open}
          className="absolute inset-x-0 top-full z-20 mt-1 rounded-md bg-white shadow-lg ring-1 ring-slate-300"
          // A click in the list must not blur the input (which closes the list) before it lands.
          onMouseDown={(e) => e.preventDefault()}
        >
          <ul id={listId} role="listbox" aria-label="Matching connections" aria-multiselectable="true" className="max-h-64 overflow-y-auto p-1">
            {options.map((c, i) => (
              <li
                key={c.id}
                id={optionId(c.id)}
                role="option"
                aria-selected={isChosen(c.id)}
                onClick={() => toggle(c)}
                onMouseMove={() => setActive(i)}
                className={cn("flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm text-slate-800", i === current && "bg-indigo-50")}
              >
                <Check className={cn("h-4 w-4 shrink-0 text-indigo-600", !isChosen(c.id) && "invisible")} aria-hidden />
                <span className="truncate">{c.name}</span>
                {c.revoked && <Badge tone="gray">revoked</Badge>}
              </li>
            ))}
          </ul>
          <p className="border-t border-slate-200 px-3 py-2 text-xs text-slate-600" aria-live="polite">
            {status}
          </p>
        </div>
      </div>
      <p id={hintId} className="text-xs text-slate-500">
        Type to search; ↑ ↓ move, Enter adds or removes the one marked. {chosen.length} chosen.
      </p>
      {chosen.length > 0 && (
        <ul aria-label="Connections chosen for the key" className="flex flex-wrap gap-1.5">
          {chosen.map((c) => (
            <li key={c.id} className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pr-1 pl-2.5 text-xs text-indigo-800 ring-1 ring-indigo-200 ring-inset">
              <span>{c.name}</span>
              {c.revoked && <span className="text-slate-500">(revoked)</span>}
              <button
                type="button"
                onClick={() => remove(c)}
                aria-label={`Remove ${c.name}`}
                className="rounded-full p-0.5 hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                <X className="h-3 w-3" aria-hidden />
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p id="connectionIds-error" role="alert" className="text-xs font-medium text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
