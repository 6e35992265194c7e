"use client";
import { useRef, useState, type ReactNode } from "react";
import { AlertTriangle } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

interface OneTimeSecretProps {
  /** Ids of the heading and the field; the field is labelled `label`. */
  id: string;
  title: ReactNode;
  label: string;
  value: string;
  /** What to do with it now, and why it cannot be seen again. */
  warning: ReactNode;
  /** Links and notes under the warning. */
  children?: ReactNode;
  doneLabel: string;
  onDone: () => void;
  testId?: string;
}

/**
 * A secret shown this once (a new API key, a webhook signing secret): it lives only in this
 * component's props, from the action's answer, never in a page the server renders again.
 */
export function OneTimeSecret({ id, title, label, value, warning, children, doneLabel, onDone, testId }: OneTimeSecretProps) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 2500);
    } catch {
      // The clipboard API needs a secure context (https or localhost) and the page's focus.
      toast.error(`The browser did not allow copying. Select the ${label.toLowerCase()} and copy it by hand.`);
    }
  };
  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg bg-emerald-50 p-5 ring-1 ring-emerald-200" data-testid={testId}>
      <h2 id={`${id}-title`} className="text-sm font-semibold text-emerald-900">
        {title}
      </h2>
      <div className="mt-3 space-y-1">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        <div className="flex gap-2">
          <input
            id={id}
            readOnly
            value={value}
            spellCheck={false}
            autoComplete="off"
            onFocus={(e) => e.currentTarget.select()}
            className={cn(inputClass(), "font-mono")}
          />
          <Button variant="secondary" onClick={() => void copy()}>
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
      </div>
      <p className="mt-3 flex items-start gap-2 text-sm font-medium text-amber-900" role="status">
        <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
        {warning}
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-4 text-sm">
        {children}
        <button type="button" onClick={onDone} className="text-slate-600 hover:underline">
          {doneLabel}
        </button>
      </div>
    </section>
  );
}
