import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { LocalDateTime } from "@/components/ui/local-time";
import type { AttemptState, RecentAttempt } from "@/lib/authorization/recent-attempts";
import { RetryAttemptButton } from "./retry-attempt-button";

const STATE: Record<AttemptState, { label: string; tone: "blue" | "red" | "gray" | "amber" }> = {
  pending: { label: "Waiting for Zoho", tone: "blue" },
  failed: { label: "Failed", tone: "red" },
  expired: { label: "Abandoned", tone: "gray" },
  interrupted: { label: "No result", tone: "amber" },
};

/** Where "Change and retry" leads: the same form, filled in, to adjust before going to Zoho. */
function editHref(a: RecentAttempt): string {
  if (a.reconnectId) return `/connections/${a.reconnectId}/reconnect?${new URLSearchParams({ scopes: a.scopes.join(",") })}`;
  const q = new URLSearchParams({ client: String(a.clientRef), scopes: a.scopes.join(","), name: a.connectionName });
  if (a.selfClient) return `/connections/self-client?${q}`;
  q.set("access", a.accessType);
  return `/connections/new?${q}`;
}

/**
 * The user's authorizations that did not make a connection: a consent left open, refused, or
 * ended on one of Zoho's error pages would otherwise leave no trace where people look.
 */
export function RecentAttempts({ attempts }: { attempts: RecentAttempt[] }) {
  if (attempts.length === 0) return null;
  return (
    <Card className="mb-6">
      <div className="border-b border-slate-100 px-5 py-3">
        <h2 id="recent-attempts" className="text-sm font-semibold text-slate-900">
          Unfinished authorizations
        </h2>
        <p className="text-xs text-slate-600">
          Your latest authorizations that did not make a connection. Each disappears once you start it again.
        </p>
      </div>
      <ul aria-labelledby="recent-attempts" className="divide-y divide-slate-100">
        {attempts.map((a) => (
          <li key={a.id} className="flex flex-wrap items-start justify-between gap-3 px-5 py-3" data-testid={`attempt-${a.id}`}>
            <div className="min-w-0 flex-[1_1_16rem] space-y-1">
              <p className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-medium text-slate-900">{a.connectionName}</span>
                <Badge tone={STATE[a.state].tone}>{STATE[a.state].label}</Badge>
                {a.reconnectId && <Badge>reconnect</Badge>}
              </p>
              <p className="text-xs text-slate-600">
                {a.clientName} · started <LocalDateTime ms={a.startedAt} /> ·{" "}
                <span className="break-all font-mono">{a.scopes.join(",")}</span>
              </p>
              <p className="text-xs text-slate-700">{a.reason}</p>
            </div>
            <div className="flex items-start gap-2">
              <Link href={editHref(a)} className={buttonClass("secondary", "sm")}>
                {a.selfClient ? "Try again" : "Change and retry"}
              </Link>
              {!a.selfClient && <RetryAttemptButton attemptId={a.id} label={`Try again: ${a.connectionName}`} />}
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}
