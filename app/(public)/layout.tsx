import type { Metadata } from "next";
import type { ReactNode } from "react";
import { KeyRound } from "lucide-react";
import { SkipLink } from "@/components/layout/skip-link";

// Pages for people without a console account (connect links): no navigation, no link into the
// console, nothing indexed. next.config.ts adds the no-referrer and noindex headers.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  robots: { index: false, follow: false },
  referrer: "no-referrer",
};

export default function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SkipLink />
      <main id="main" tabIndex={-1} className="flex min-h-screen items-start justify-center px-4 py-12 focus:outline-none sm:items-center">
        <div className="w-full max-w-xl">
          <div className="mb-6 flex items-center justify-center gap-2 text-slate-900">
            <KeyRound className="h-6 w-6 text-indigo-600" aria-hidden />
            <span className="text-lg font-semibold">Zoho OAuth Console</span>
          </div>
          {children}
        </div>
      </main>
    </>
  );
}
