import type { ReactNode } from "react";
import { KeyRound } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { SkipLink } from "./skip-link";

/**
 * The console's name above one centred column, with no navigation: sign-in and set-up, and the
 * pages a connect link's owner sees. `wide` fits the link's landing page, the narrow one a form.
 */
export function CenteredShell({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return (
    <>
      <SkipLink />
      <main
        id="main"
        tabIndex={-1}
        className={cn("flex min-h-screen justify-center px-4 py-12 focus:outline-none", wide ? "items-start sm:items-center" : "items-center")}
      >
        <div className={cn("w-full", wide ? "max-w-xl" : "max-w-sm")}>
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
