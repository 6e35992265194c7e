import Link from "next/link";
import { EmptyState } from "@/components/ui/card";
import { ScrollText } from "lucide-react";

/** An event id that never was, or one retention has since deleted. */
export default function AuditEventNotFound() {
  return (
    <EmptyState icon={<ScrollText className="h-8 w-8" aria-hidden />} title="No such audit event">
      It never existed, or it is older than the retention rule keeps and was deleted.{" "}
      <Link href="/audit" className="text-indigo-600 hover:underline">Back to the audit trail</Link>.
    </EmptyState>
  );
}
