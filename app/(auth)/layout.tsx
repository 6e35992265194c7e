import type { ReactNode } from "react";
import { KeyRound } from "lucide-react";
import { SkipLink } from "@/components/layout/skip-link";

// Every page here depends on who is signed in and whether the console is set up.
export const dynamic = "force-dynamic";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SkipLink />
      <main id="main" tabIndex={-1} className="flex min-h-screen items-center justify-center px-4 py-12 focus:outline-none">
        <div className="w-full max-w-sm">
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
