import type { ReactNode } from "react";
import Link from "next/link";
import { KeyRound } from "lucide-react";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import type { Role } from "@/lib/rbac";

/** What a consent form shows while no server-based client exists: register one, or ask an admin. */
export function NoServerClient({ role, children }: { role: Role; children: ReactNode }) {
  const admin = role === "admin";
  return (
    <EmptyState
      icon={<KeyRound className="h-8 w-8" aria-hidden />}
      title="No server-based client yet"
      action={
        admin ? (
          <Link href="/clients" className={buttonClass()}>
            Register a client
          </Link>
        ) : undefined
      }
    >
      {children} {admin ? "Register one first." : "Ask an admin to register one."}
    </EmptyState>
  );
}
