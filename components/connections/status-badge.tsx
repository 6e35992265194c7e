import { Badge } from "@/components/ui/card";
import type { ConnectionStatus } from "@/lib/connection-status";

export function StatusBadge({ status }: { status: ConnectionStatus }) {
  return (
    <span data-testid="connection-status" data-status={status.kind} className="whitespace-nowrap">
      <Badge tone={status.tone}>{status.label}</Badge>
    </span>
  );
}
