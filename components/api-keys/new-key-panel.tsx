"use client";
import Link from "next/link";
import { useRef, useState } from "react";
import { AlertTriangle } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

/** The new key, shown this once: it lives only in this component's props, never in a page. */
export function NewKeyPanel({ id, apiKey, name, onDone }: { id: number; apiKey: string; name: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(apiKey);
      setCopied(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 2500);
    } catch {
      // The clipboard API needs a secure context (https or localhost) and the page's focus.
      toast.error("The browser did not allow copying. Select the key and copy it by hand.");
    }
  };
  return (
    <section aria-labelledby="new-key-title" className="rounded-lg bg-emerald-50 p-5 ring-1 ring-emerald-200" data-testid="new-api-key">
      <h2 id="new-key-title" className="text-sm font-semibold text-emerald-900">
        API key “{name}” created
      </h2>
      <div className="mt-3 space-y-1">
        <label htmlFor="new-api-key" className="block text-sm font-medium text-slate-800">
          New API key
        </label>
        <div className="flex gap-2">
          <input
            id="new-api-key"
            readOnly
            value={apiKey}
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
        Copy it now: it will not be shown again. The console keeps only its hash.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-4 text-sm">
        <Link href={`/settings/api-keys/${id}`} className="font-medium text-indigo-600 hover:underline">
          Open the key&apos;s page
        </Link>
        <button type="button" onClick={onDone} className="text-slate-600 hover:underline">
          I have copied it, hide the key
        </button>
      </div>
    </section>
  );
}
