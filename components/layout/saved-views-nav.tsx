"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition, type ReactNode } from "react";
import { X } from "lucide-react";
import { toast } from "sonner";
import { deleteViewAction } from "@/app/(dashboard)/views/actions";
import { callAction } from "@/components/ui/call-action";
import { cn } from "@/components/ui/cn";

export interface SavedViewLink {
  id: number;
  name: string;
  href: string;
}

/** The signed-in person's saved views in the sidebar, each with a button that deletes it. */
export function SavedViewsNav({ views, icon }: { views: SavedViewLink[]; icon: ReactNode }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const router = useRouter();
  const [pending, start] = useTransition();
  const here = `${pathname}${params.size ? `?${params.toString()}` : ""}`;
  const remove = (v: SavedViewLink) =>
    start(async () => {
      const fd = new FormData();
      fd.set("id", String(v.id));
      const r = await callAction(() => deleteViewAction(fd));
      if (r.ok) toast.success(r.message);
      else toast.error(r.error);
      router.refresh();
    });
  return (
    <div className="pt-3">
      <p className="flex items-center gap-2.5 px-3 py-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
        {icon} Saved views
      </p>
      <ul aria-label="Saved views" className="space-y-0.5">
        {views.map((v) => (
          <li key={v.id} className="group flex items-center">
            <Link
              href={v.href}
              aria-current={here === v.href ? "page" : undefined}
              className={cn("min-w-0 flex-1 truncate rounded-md py-1.5 pr-1 pl-9 text-sm", here === v.href ? "font-medium text-indigo-700" : "text-slate-700 hover:bg-slate-100")}
              title={v.href}
            >
              {v.name}
            </Link>
            <button
              type="button"
              disabled={pending}
              onClick={() => remove(v)}
              aria-label={`Delete saved view ${v.name}`}
              className="rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700"
            >
              <X className="h-3.5 w-3.5" aria-hidden />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
