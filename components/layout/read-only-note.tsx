import { Lock } from "lucide-react";

/**
 * Shown where action buttons would be for a role that may not use them, so a missing button
 * reads as a permission and not as a fault.
 */
export function ReadOnlyNote({ label = "Read-only role", need }: { label?: string; need: string }) {
  return (
    <p className="flex max-w-sm items-start gap-2 text-xs text-slate-600" data-testid="read-only-note">
      <span className="inline-flex shrink-0 items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-700 ring-1 ring-inset ring-slate-300">
        <Lock className="h-3 w-3" aria-hidden />
        {label}
      </span>
      <span>{need}</span>
    </p>
  );
}
