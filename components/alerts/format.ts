// Pure words and numbers of the alerts and incidents views, shared by server and client components.
import type { ALERT_DESTINATION_KINDS } from "@/lib/alerts/input";

type AlertDestinationKind = (typeof ALERT_DESTINATION_KINDS)[number];

export const KIND_LABELS: Record<AlertDestinationKind, string> = { webhook: "Webhook", slack: "Slack", email: "E-mail" };

/** "45 s", "12 min", "2 h 5 min", "3 d 4 h": how long something lasted, locale-free. */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

export const RESOLUTION_LABELS: Record<string, string> = {
  refreshed: "Refreshed again",
  reauthorized: "Reconnected",
  revoked: "Revoked",
};

type StateFacts = { enabled: boolean; pausedAt: number | null; failingSince: number | null };

/** The one reading of a destination's state, so the list and the detail page agree. */
export function destinationState(d: StateFacts): { label: string; tone: "green" | "amber" | "red" | "gray"; since: number | null } {
  if (!d.enabled) return { label: "Off", tone: "gray", since: null };
  if (d.pausedAt !== null) return { label: "Paused", tone: "red", since: d.pausedAt };
  if (d.failingSince !== null) return { label: "Failing", tone: "amber", since: d.failingSince };
  return { label: "Active", tone: "green", since: null };
}
