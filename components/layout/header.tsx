import { LogOut } from "lucide-react";
import { cookies } from "next/headers";
import Link from "next/link";
import { signOutAction } from "@/app/(auth)/actions";
import { Badge } from "@/components/ui/card";
import type { SessionUser } from "@/lib/auth/session";
import { ThemeSwitch } from "@/components/theme/theme-switch";
import { parseTheme, THEME_COOKIE } from "@/components/theme/theme";
import { can, ROLE_LABELS } from "@/lib/rbac";
import { jumpPages, NAV_ITEMS, SETTINGS_ITEMS } from "./nav";
import { QuickJump } from "./quick-jump";


export async function Header({ user }: { user: SessionUser }) {
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  // On small screens the sidebar is hidden: this bar carries every section, Settings' pages too.
  const mobileItems = [...NAV_ITEMS, ...SETTINGS_ITEMS.filter((i) => can(user.role, i.permission))];
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="flex min-h-14 flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-2 md:flex-nowrap md:px-8">
        <nav aria-label="Sections" className="order-last flex w-full gap-3 overflow-x-auto pb-1 text-sm md:hidden">
          {mobileItems.map((i) => (
            <Link key={i.href} href={i.href} className="shrink-0 whitespace-nowrap text-slate-700 hover:text-indigo-600">
              {i.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <QuickJump pages={jumpPages(user.role)} />
          <ThemeSwitch initial={theme} />
          <Link href="/account" title="Your account" className="rounded-md px-1.5 py-0.5 text-right text-sm leading-tight hover:bg-slate-100" data-testid="current-user">
            <div className="font-medium text-slate-900">{user.name}</div>
            <div className="text-xs text-slate-500">{user.email}</div>
          </Link>
          <Badge tone={user.role === "admin" ? "blue" : user.role === "operator" ? "green" : "gray"}>{ROLE_LABELS[user.role]}</Badge>
          <form action={signOutAction}>
            <button
              type="submit"
              className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
            >
              <LogOut className="h-4 w-4" aria-hidden />
              Sign out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
