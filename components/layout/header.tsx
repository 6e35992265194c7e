import { LogOut, ShieldCheck } from "lucide-react";
import { cookies } from "next/headers";
import Link from "next/link";
import { signOutAction } from "@/app/(auth)/actions";
import { Badge } from "@/components/ui/card";
import type { SessionUser } from "@/lib/auth/session";
import type { SavedView } from "@/lib/saved-views";
import { ThemeSwitch } from "@/components/theme/theme-switch";
import { parseTheme, THEME_COOKIE } from "@/components/theme/theme";
import { can, ROLE_LABELS } from "@/lib/rbac";
import { jumpPages, NAV_ITEMS, SETTINGS_ITEMS } from "./nav";
import { PhoneMenu } from "./phone-menu";
import { QuickJump } from "./quick-jump";

export async function Header({ user, views = [] }: { user: SessionUser; views?: SavedView[] }) {
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  // On small screens the sidebar is hidden: the menu carries every section, Settings' pages too.
  const mobileItems = [...NAV_ITEMS, ...SETTINGS_ITEMS.filter((i) => can(user.role, i.permission))];
  return (
    <header className="relative border-b border-slate-200 bg-white">
      <div className="flex min-h-14 items-center gap-2 px-4 py-2 md:gap-3 md:px-8">
        <Link href="/" className="flex min-w-0 items-center gap-2 text-sm font-semibold text-slate-900 md:hidden">
          <ShieldCheck className="h-5 w-5 shrink-0 text-indigo-600" aria-hidden />
          <span className="truncate">Zoho OAuth Console</span>
        </Link>
        <div className="ml-auto flex items-center gap-2 md:gap-3">
          <QuickJump pages={jumpPages(user.role)} />
          <PhoneMenu items={mobileItems} views={views}>
            <ThemeSwitch initial={theme} />
            <Link
              href="/account"
              title="Your account"
              className="min-w-0 rounded-md px-1.5 py-0.5 text-sm leading-tight hover:bg-slate-100 max-md:order-first max-md:basis-full md:text-right"
              data-testid="current-user"
            >
              <div className="font-medium text-slate-900">{user.name}</div>
              <div className="truncate text-xs text-slate-500">{user.email}</div>
            </Link>
            <Badge tone={user.role === "admin" ? "blue" : user.role === "operator" ? "green" : "gray"}>{ROLE_LABELS[user.role]}</Badge>
            <form action={signOutAction} className="max-md:ml-auto">
              <button
                type="submit"
                className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm text-slate-700 hover:bg-slate-100 max-md:ring-1 max-md:ring-inset max-md:ring-slate-300"
              >
                <LogOut className="h-4 w-4" aria-hidden />
                Sign out
              </button>
            </form>
          </PhoneMenu>
        </div>
      </div>
    </header>
  );
}
