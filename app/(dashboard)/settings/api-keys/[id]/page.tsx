import type { Metadata } from "next";
import Link from "next/link";
import { FactList } from "@/components/ui/fact-list";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { EditKeyForm } from "@/components/api-keys/edit-key-form";
import { KeyPrefix, KeyStateBadge } from "@/components/api-keys/key-facts";
import { KeyUsageTable } from "@/components/api-keys/key-usage-table";
import { RevokeKeyButton } from "@/components/api-keys/revoke-key-button";
import { Card, PageHeader } from "@/components/ui/card";
import { LocalDateTime } from "@/components/ui/local-time";
import { PERMISSION_LABELS } from "@/lib/api-keys/input";
import { getApiKey } from "@/lib/api-keys/store";
import { usageOfKey } from "@/lib/api-keys/usage";
import { requirePermission } from "@/lib/auth/session";
import { config } from "@/lib/config";

export const metadata: Metadata = { title: "API key" };

const muted = (text: string) => <span className="text-slate-500">{text}</span>;

export default async function ApiKeyPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePermission("keys:manage");
  const { id } = await params;
  const key = /^\d{1,12}$/.test(id) ? await getApiKey(Number(id)) : undefined;
  if (!key) notFound();
  const usage = await usageOfKey(key.id);
  const facts: Array<[string, ReactNode]> = [
    ["State", <KeyStateBadge key="s" state={key.state} />],
    ["Prefix", <KeyPrefix key="p" prefix={key.prefix} />],
    ["Permissions", key.permissions.map((p) => PERMISSION_LABELS[p].label).join(", ")],
    ["Rate limit", `${key.rateLimitPerMinute.toLocaleString("en-US")} calls a minute${key.customRateLimit ? "" : " (console default)"}`],
    ["Created", <span key="c"><LocalDateTime ms={key.createdAt} />{key.createdBy && ` by ${key.createdBy}`}</span>],
    ["Expires", key.expiresAt === null ? "Never" : <LocalDateTime key="e" ms={key.expiresAt} />],
    ["Last used", key.lastUsedAt === null ? "Never" : <span key="u"><LocalDateTime ms={key.lastUsedAt} />{key.lastUsedIp && ` from ${key.lastUsedIp}`}</span>],
    ["Calls (24 h)", key.calls24h.toLocaleString("en-US")],
  ];
  if (key.revokedAt !== null) facts.push(["Revoked", <LocalDateTime key="r" ms={key.revokedAt} />]);
  return (
    <>
      <PageHeader
        title={key.name}
        description={
          <>
            <Link href="/settings" className="text-indigo-600 hover:underline">Settings</Link> /{" "}
            <Link href="/settings/api-keys" className="text-indigo-600 hover:underline">API keys</Link> / {key.prefix}…
          </>
        }
        actions={key.state !== "revoked" ? <RevokeKeyButton id={key.id} name={key.name} /> : undefined}
      />
      <div className="space-y-6">
        <Card className="p-5">
          <FactList facts={facts} className="lg:grid-cols-4" />
          <div className="mt-4 text-sm">
            <h2 className="text-xs text-slate-500">Connections it may use</h2>
            {key.allConnections ? (
              <p className="mt-0.5 text-slate-900">All connections, including ones added later</p>
            ) : key.connections.length === 0 ? (
              <p className="mt-0.5">{muted("None: the chosen connections were deleted")}</p>
            ) : (
              <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                {key.connections.map((c) => (
                  <li key={c.id}>
                    <Link href={`/connections/${c.id}`} className="text-indigo-600 hover:underline">{c.name}</Link>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <p className="mt-4 text-xs text-slate-500">
            Creating, changing and revoking keys is recorded in the{" "}
            <Link href="/audit?action=keys" className="text-indigo-600 hover:underline">audit trail</Link>; so is{" "}
            <Link href={`/audit?actor=api_key:${key.id}`} className="text-indigo-600 hover:underline">what was done with this key</Link>.
          </p>
        </Card>
        <KeyUsageTable usage={usage} />
        <section aria-labelledby="edit-key" className="space-y-2">
          <h2 id="edit-key" className="text-sm font-semibold">Edit key</h2>
          <EditKeyForm apiKey={key} defaultRateLimit={config().CONSOLE_API_RATE_LIMIT_PER_MINUTE} />
        </section>
      </div>
    </>
  );
}
