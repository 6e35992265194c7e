import { Suspense, type ReactNode } from "react";
import { redirect } from "next/navigation";
import { Header } from "@/components/layout/header";
import { NavProgress } from "@/components/layout/nav-progress";
import { Sidebar } from "@/components/layout/sidebar";
import { SkipLink } from "@/components/layout/skip-link";
import { requireUser } from "@/lib/auth/session";
import { viewsOf } from "@/lib/saved-views";
import { hasAnyUser } from "@/lib/users";

// Every page here depends on who is signed in and whether the console is set up.
export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  if (!(await hasAnyUser())) redirect("/setup");
  const user = await requireUser();
  // One read for both places they show: the sidebar from md up, the phone menu below it.
  const views = await viewsOf(user.id);
  return (
    <div className="flex min-h-screen">
      <SkipLink />
      <Suspense fallback={null}>
        <NavProgress />
      </Suspense>
      <Sidebar role={user.role} views={views} />
      <div className="flex min-w-0 flex-1 flex-col">
        <Header user={user} views={views} />
        <main id="main" tabIndex={-1} className="flex-1 px-4 py-6 focus:outline-none md:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
