import { Badge } from "@/components/ui/card";
import type { ConnectLinkDto } from "@/lib/connect-links/view";
import { LINK_STATES, linkOutcomeText } from "./link-words";

type LinkFacts = Pick<ConnectLinkDto, "state" | "stateReason" | "openedAt" | "consentStartedAt" | "revokedBy">;

/** The state badge and, for a link that ended without a connection, why in one sentence. */
export function LinkState({ link }: { link: LinkFacts }) {
  const { label, tone } = LINK_STATES[link.state];
  const why = linkOutcomeText(link);
  return (
    <div className="space-y-1">
      <span data-testid="link-state" data-state={link.state} className="whitespace-nowrap">
        <Badge tone={tone}>{label}</Badge>
      </span>
      {why && <p className="max-w-56 text-xs text-slate-600">{why}</p>}
    </div>
  );
}
