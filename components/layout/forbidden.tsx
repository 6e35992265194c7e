import { Lock } from "lucide-react";
import { EmptyState } from "@/components/ui/card";

export function Forbidden({ what, role }: { what: string; role: string }) {
  return (
    <EmptyState icon={<Lock className="h-8 w-8" aria-hidden />} title="You do not have access to this page">
      {what} is open to {role}s only. Ask an admin if you need it.
    </EmptyState>
  );
}
