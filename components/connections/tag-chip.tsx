import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/** One tag; as a link it opens the connections list filtered by it. */
export function TagChip({ tag, href, children, className }: { tag: string; href?: string; children?: ReactNode; className?: string }) {
  const style = cn("inline-flex items-center gap-1 rounded-full bg-indigo-50 px-2 py-0.5 font-mono text-xs text-indigo-800 ring-1 ring-indigo-200 ring-inset", className);
  const text = <span>{tag}</span>;
  return (
    <span className={style} data-testid="tag">
      {href ? (
        <Link href={href} className="hover:underline" title={`Connections tagged ${tag}`}>
          {text}
        </Link>
      ) : (
        text
      )}
      {children}
    </span>
  );
}

export const tagListHref = (tag: string) => `/connections?tag=${encodeURIComponent(tag)}`;
