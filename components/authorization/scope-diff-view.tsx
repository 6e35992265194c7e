import { Badge } from "@/components/ui/card";
import type { ScopeDiff } from "@/lib/zoho/scope-string";

/** What a reconnect changes, shown before leaving for Zoho. */
export function ScopeDiffView({ diff }: { diff: ScopeDiff }) {
  const unchanged = diff.added.length === 0 && diff.removed.length === 0;
  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-3 text-sm ring-1 ring-inset ring-slate-200" aria-live="polite" data-testid="scope-diff">
      <p className="font-medium text-slate-900">{unchanged ? "The scopes stay the same." : "Scope changes"}</p>
      {diff.added.length > 0 && (
        <p className="flex flex-wrap items-center gap-1">
          <span className="text-xs font-medium text-emerald-700">Added:</span>
          {diff.added.map((s) => (
            <Badge key={s} tone="green">+ {s}</Badge>
          ))}
        </p>
      )}
      {diff.removed.length > 0 && (
        <p className="flex flex-wrap items-center gap-1">
          <span className="text-xs font-medium text-red-700">Removed:</span>
          {diff.removed.map((s) => (
            <Badge key={s} tone="red">− {s}</Badge>
          ))}
        </p>
      )}
      {diff.kept.length > 0 && (
        <p className="flex flex-wrap items-center gap-1">
          <span className="text-xs font-medium text-slate-600">Unchanged:</span>
          {diff.kept.map((s) => (
            <Badge key={s}>{s}</Badge>
          ))}
        </p>
      )}
    </div>
  );
}
