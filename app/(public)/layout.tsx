import type { Metadata } from "next";
import type { ReactNode } from "react";
import { CenteredShell } from "@/components/layout/centered-shell";

// Pages for people without a console account (connect links): no navigation, no link into the
// console, nothing indexed. next.config.ts adds the no-referrer and noindex headers.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  robots: { index: false, follow: false },
  referrer: "no-referrer",
};

export default function PublicLayout({ children }: { children: ReactNode }) {
  return <CenteredShell wide>{children}</CenteredShell>;
}
