import type { ScopeOperation } from "@/lib/zoho/scope-catalogue";
import { Badge } from "@/components/ui/card";

// Colour says how much a scope lets a token do: reading is safe, deleting is not.
const OPERATION_TONE: Record<ScopeOperation, "green" | "blue" | "red" | "amber"> = {
  READ: "green",
  CREATE: "blue",
  UPDATE: "blue",
  WRITE: "blue",
  DELETE: "red",
  ALL: "amber",
};

export function OperationBadge({ operation }: { operation: ScopeOperation }) {
  return <Badge tone={OPERATION_TONE[operation]}>{operation}</Badge>;
}

export function BroadBadge() {
  return (
    <span title="Grants every operation on the resource">
      <Badge tone="amber">broad</Badge>
    </span>
  );
}
