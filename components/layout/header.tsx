import { LogOut } from "lucide-react";
import Link from "next/link";
import { signOutAction } from "@/app/(auth)/actions";
import { Badge } from "@/components/ui/card";
import type { SessionUser } from "@/lib/auth/session";
import { ROLE_LABELS } from "@/lib/rbac";
import { jumpPages, NAV_ITEMS } from "./nav";
import { QuickJump } from "./quick-jump";

export function Header({ user }: { user: SessionUser }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="flex h-14 items-center justify-between gap-4 px-4 md:px-8">
        <nav aria-label="Sections" className="flex gap-3 overflow-x-auto text-sm md:hidden">
          {NAV_ITEMS.map((i) => (
            <Link key={i.href} href={i.href} className="text-slate-700 hover:text-indigo-600">
              {i.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <QuickJump pages={jumpPages(user.role)} />
          <div className="text-right text-sm leading-tight" data-testid="current-user">
            <div className="font-medium text-slate-900">{user.name}</div>
            <div className="text-xs text-slate-500">{user.email}</div>
          </div>
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
