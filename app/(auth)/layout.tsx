import type { ReactNode } from "react";
import { CenteredShell } from "@/components/layout/centered-shell";

// Every page here depends on who is signed in and whether the console is set up.
export const dynamic = "force-dynamic";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return <CenteredShell>{children}</CenteredShell>;
}
