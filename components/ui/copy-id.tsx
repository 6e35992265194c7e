"use client";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { cn } from "./cn";

/**
 * A record's id with a button that copies it: what services put in their API calls
 * (`/api/v1/connections/{id}`), so nobody has to read it out of a URL. Lists show one per row,
 * so its look is two classes (globals.css) and its icon a CSS mask, not an inline SVG.
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
    <span className={cn("copy-id", className)}>
      <span>
        <span className="sr-only">{`${what} `}</span>
        {`id ${id}`}
      </span>
      <button
        type="button"
        onClick={copy}
        aria-label={copied ? `Copied ${what} id ${id}` : `Copy ${what} id ${id}`}
        title={`Copy the ${what} id`}
        data-copied={copied || undefined}
        className="copy-id-button"
      />
    </span>
  );
}
