import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/** One tag; as a link it opens the connections list filtered by it. */
export function TagChip({ tag, href, children, className }: { tag: string; href?: string; children?: ReactNode; className?: string }) {
  // One class (globals.css): the list repeats a chip per tag on every row.
  return (
    <span className={cn("tag-chip", className)} data-testid="tag">
      {href ? (
        <Link href={href} className="hover:underline" title={`Connections tagged ${tag}`}>
          {tag}
        </Link>
      ) : (
        <span>{tag}</span>
      )}
      {children}
    </span>
  );
}

export const tagListHref = (tag: string) => `/connections?tag=${encodeURIComponent(tag)}`;
