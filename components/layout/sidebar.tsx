"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Bookmark, Cable, KeyRound, LayoutDashboard, Link2, ListChecks, ScrollText, Settings, ShieldCheck, Siren } from "lucide-react";
import { cn } from "@/components/ui/cn";
import type { Role } from "@/lib/rbac";
import { can } from "@/lib/rbac";
import { NAV_ITEMS, SETTINGS_ITEMS } from "./nav";
import { SavedViewsNav, type SavedViewLink } from "./saved-views-nav";

const ICONS = {
  overview: LayoutDashboard,
  clients: KeyRound,
  connections: Cable,
  links: Link2,
  scopes: ListChecks,
  audit: ScrollText,
  incidents: Siren,
  settings: Settings,
};

export function Sidebar({ role, views = [] }: { role: Role; views?: SavedViewLink[] }) {
  const pathname = usePathname();
  const active = (href: string) => (href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`));
  const subItems = SETTINGS_ITEMS.filter((i) => can(role, i.permission));
  return (
    <aside className="hidden w-56 shrink-0 border-r border-slate-200 bg-white md:block">
      <div className="flex h-14 items-center gap-2 border-b border-slate-200 px-4">
        <ShieldCheck className="h-5 w-5 text-indigo-600" aria-hidden />
        <span className="text-sm font-semibold">Zoho OAuth Console</span>
      </div>
      <nav aria-label="Main" className="space-y-0.5 p-2">
        {NAV_ITEMS.map((item) => {
          const Icon = ICONS[item.icon];
          const current = active(item.href);
          return (
            <Link
              key={item.href}
              href={item.href}
              aria-current={current ? "page" : undefined}
              className={cn(
                "flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium",
                current ? "bg-indigo-50 text-indigo-700" : "text-slate-700 hover:bg-slate-100",
              )}
            >
              <Icon className="h-4 w-4" aria-hidden />
              {item.label}
            </Link>
          );
        })}
        {subItems.length > 0 && (
          <ul aria-label="Settings pages" className="ml-9 space-y-0.5 border-l border-slate-200 pl-2">
            {subItems.map((item) => (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={active(item.href) ? "page" : undefined}
                  className={cn(
                    "block rounded-md px-2 py-1.5 text-sm",
                    active(item.href) ? "font-medium text-indigo-700" : "text-slate-600 hover:bg-slate-100",
                  )}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        )}
        {views.length > 0 && <SavedViewsNav views={views} icon={<Bookmark className="h-4 w-4" aria-hidden />} />}
      </nav>
    </aside>
  );
}
