import { Lock } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/ui/card";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from "@/lib/rbac";

export function Forbidden({ role }: { role?: Role }) {
  return (
    <EmptyState
      icon={<Lock className="h-8 w-8" aria-hidden />}
      title="You do not have access to this page"
      action={<Link href="/" className="text-sm font-medium text-indigo-700 underline">Back to the overview</Link>}
    >
      {role ? (
        <>
          Your role is <strong>{ROLE_LABELS[role]}</strong> ({ROLE_DESCRIPTIONS[role].replace(/^./, (c) => c.toLowerCase())}). This
          page needs a role that may change it. Ask an admin if you need it.
        </>
      ) : (
        "Your role does not allow this page. Ask an admin if you need it."
      )}
    </EmptyState>
  );
}
