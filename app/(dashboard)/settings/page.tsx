import type { Metadata } from "next";
import Link from "next/link";
import { BellRing, BookOpen, KeyRound, Users } from "lucide-react";
import { ReadOnlyNote } from "@/components/layout/read-only-note";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { can } from "@/lib/rbac";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  const cfg = config();
  const rows: Array<[string, string]> = [
    ["Public URL", cfg.CONSOLE_PUBLIC_URL],
    ["OAuth redirect URI", `${cfg.CONSOLE_PUBLIC_URL}/api/oauth/callback`],
    ["Zoho sandbox", cfg.ZOHO_SANDBOX_URL || "off"],
    ["Zoho request timeout", `${cfg.ZOHO_HTTP_TIMEOUT_MS} ms`],
    ["API rate limit per key (default)", `${cfg.CONSOLE_API_RATE_LIMIT_PER_MINUTE} calls a minute`],
  ];
  return (
    <>
      <PageHeader
        title="Settings"
        description="How this console is configured, and who may use it."
        actions={
          can(user.role, "users:manage") ? undefined : (
            <ReadOnlyNote label={user.role === "viewer" ? "Read-only role" : "Admins only"} need="Users, API keys and alerts are managed by admins." />
          )
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        {can(user.role, "users:manage") && (
          <Card className="p-5">
            <h2 className="flex items-center gap-2 text-sm font-semibold">
              <Users className="h-4 w-4" aria-hidden /> Users
            </h2>
            <p className="mt-1 text-sm text-slate-600">Add people, set their role, disable accounts.</p>
            <Link href="/settings/users" className="mt-3 inline-block text-sm font-medium text-indigo-600 hover:underline">
              Manage users
            </Link>
          </Card>
        )}
        {can(user.role, "keys:manage") && (
          <Card className="p-5">
            <h2 className="flex items-center gap-2 text-sm font-semibold">
              <KeyRound className="h-4 w-4" aria-hidden /> API keys
            </h2>
            <p className="mt-1 text-sm text-slate-600">Keys for services that fetch tokens or call Zoho through this console; who used which connection.</p>
            <Link href="/settings/api-keys" className="mt-3 inline-block text-sm font-medium text-indigo-600 hover:underline">
              Manage API keys
            </Link>
          </Card>
        )}
        {can(user.role, "alerts:manage") && (
          <Card className="p-5">
            <h2 className="flex items-center gap-2 text-sm font-semibold">
              <BellRing className="h-4 w-4" aria-hidden /> Alerts
            </h2>
            <p className="mt-1 text-sm text-slate-600">Webhooks, Slack and e-mail told when a connection fails or recovers; their delivery logs.</p>
            <Link href="/settings/alerts" className="mt-3 inline-block text-sm font-medium text-indigo-600 hover:underline">
              Manage alerts
            </Link>
          </Card>
        )}
        <Card className="p-5">
          <h2 className="flex items-center gap-2 text-sm font-semibold">
            <BookOpen className="h-4 w-4" aria-hidden /> Service API
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            How services read connections and get access tokens from <code className="font-mono text-xs">/api/v1</code> with an API key.
          </p>
          <Link href="/docs/api" className="mt-3 inline-block text-sm font-medium text-indigo-600 hover:underline">
            API docs
          </Link>
        </Card>
        <Card className="p-5">
          <h2 className="text-sm font-semibold">Configuration</h2>
          <p className="mt-1 text-sm text-slate-600">Set through environment variables; see .env.example.</p>
          <dl className="mt-3 space-y-2 text-sm">
            {rows.map(([k, v]) => (
              <div key={k} className="flex justify-between gap-4">
                <dt className="text-slate-500">{k}</dt>
                <dd className="font-mono text-xs break-all text-slate-800">{v}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>
    </>
  );
}
