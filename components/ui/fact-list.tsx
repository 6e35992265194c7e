import type { ReactNode } from "react";
import { cn } from "./cn";

/** A detail page's facts as label/value pairs in a grid. */
export function FactList({ facts, className }: { facts: Array<[string, ReactNode]>; className?: string }) {
  return (
    <dl className={cn("grid gap-3 text-sm sm:grid-cols-2", className)}>
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt className="text-xs text-slate-500">{k}</dt>
          <dd className="mt-0.5 text-slate-900">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
