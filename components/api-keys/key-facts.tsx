import { Badge } from "@/components/ui/card";
import { LocalDateTime } from "@/components/ui/local-time";
import { usesConnections, type ApiKeyPermission } from "@/lib/api-keys/permissions";
import type { ApiKeyDto, ApiKeyState } from "@/lib/api-keys/store";

const STATE: Record<ApiKeyState, { label: string; tone: "green" | "amber" | "gray" }> = {
  active: { label: "Active", tone: "green" },
  expired: { label: "Expired", tone: "amber" },
  revoked: { label: "Revoked", tone: "gray" },
};

export function KeyStateBadge({ state }: { state: ApiKeyState }) {
  return <Badge tone={STATE[state].tone}>{STATE[state].label}</Badge>;
}

/** Short names for tables; the form and the key's page use PERMISSION_LABELS. */
export const PERMISSION_SHORT: Record<ApiKeyPermission, string> = { read: "Read", token: "Tokens", proxy: "Proxy", metrics: "Metrics" };

export const scopeText = (k: Pick<ApiKeyDto, "allConnections" | "connections" | "permissions">) =>
  !usesConnections(k.permissions)
    ? "No connections (metrics only)"
    : k.allConnections
      ? "All connections"
      : `${k.connections.length} connection${k.connections.length === 1 ? "" : "s"}`;

/** `zoc_AbC123…`: enough to recognise a key, never enough to use it. */
export function KeyPrefix({ prefix }: { prefix: string }) {
  return <span className="font-mono text-xs whitespace-nowrap text-slate-700">{prefix}…</span>;
}

const USAGE_HEADINGS = ["Calls", "Last call", "Last address"];

/** The usage columns both usage tables end with: their headings, then one row's cells. */
export function UsageHeadings() {
  return USAGE_HEADINGS.map((h) => (
    <th key={h} scope="col" className="px-4 py-2 font-medium">
      {h}
    </th>
  ));
}

export function UsageCells({ calls, lastCallAt, lastIp }: { calls: number; lastCallAt: number; lastIp: string | null }) {
  return (
    <>
      <td className="px-4 py-3 tabular-nums">{calls.toLocaleString("en-US")}</td>
      <td className="px-4 py-3"><LocalDateTime ms={lastCallAt} /></td>
      <td className="px-4 py-3 font-mono text-xs text-slate-600">{lastIp ?? "—"}</td>
    </>
  );
}
