import type { ReactNode } from "react";

/** One numbered section of a connect form. */
export function WizardStep({ n, title, hint, children }: { n: number; title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <section className="grid gap-3 border-t border-slate-100 px-5 py-5 first:border-t-0 md:grid-cols-[14rem_1fr]">
      <div>
        <h2 className="flex items-center gap-2 text-sm font-semibold text-slate-900">
          <span className="flex h-6 w-6 items-center justify-center rounded-full bg-indigo-600 text-xs text-white" aria-hidden>
            {n}
          </span>
          {title}
        </h2>
        {hint && <p className="mt-1 text-xs text-slate-500 md:pl-8">{hint}</p>}
      </div>
      <div className="min-w-0 space-y-3">{children}</div>
    </section>
  );
}
