"use client";
import { Check, Copy } from "lucide-react";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { cn } from "./cn";

/**
 * A record's id with a button that copies it: what services put in their API calls
 * (`/api/v1/connections/{id}`), so nobody has to read it out of a URL.
 */
export function CopyId({ id, what = "connection", className }: { id: number; what?: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(String(id));
      setCopied(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 2000);
    } catch {
      // The clipboard API needs a secure context (https or localhost) and the page's focus.
      toast.error(`The browser did not allow copying. The ${what} id is ${id}.`);
    }
  };
  return (
    <span className={cn("inline-flex items-center gap-1 font-mono text-xs text-slate-600", className)}>
      <span>
        <span className="sr-only">{what} </span>id {id}
      </span>
      <button
        type="button"
        onClick={copy}
        aria-label={copied ? `Copied ${what} id ${id}` : `Copy ${what} id ${id}`}
        title={`Copy the ${what} id`}
        className="rounded p-0.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {copied ? <Check className="h-3.5 w-3.5 text-emerald-600" aria-hidden /> : <Copy className="h-3.5 w-3.5" aria-hidden />}
      </button>
    </span>
  );
}
