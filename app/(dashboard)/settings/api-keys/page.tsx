import type { Metadata } from "next";
import Link from "next/link";
import { CreateKeyForm } from "@/components/api-keys/create-key-form";
import { KeysTable } from "@/components/api-keys/keys-table";
import { PageHeader } from "@/components/ui/card";
import { listApiKeys } from "@/lib/api-keys/store";
import { requirePermission } from "@/lib/auth/session";
import { config } from "@/lib/config";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await requirePermission("keys:manage");
  const keys = await listApiKeys();
  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            <Link href="/settings" className="text-indigo-600 hover:underline">Settings</Link> / Services call{" "}
            <code className="font-mono text-xs">/api/v1</code> with <code className="font-mono text-xs">Authorization: Bearer zoc_…</code> to
            read connections, get always-valid access tokens or call Zoho through the console; they never hold a Zoho secret. See the{" "}
            <Link href="/docs/api" className="text-indigo-600 hover:underline">API docs</Link>.
          </>
        }
      />
      <div className="space-y-6">
        <CreateKeyForm defaultRateLimit={config().CONSOLE_API_RATE_LIMIT_PER_MINUTE} base={config().CONSOLE_PUBLIC_URL} />
        <section aria-labelledby="keys-heading" className="space-y-2">
          <h2 id="keys-heading" className="text-sm font-semibold">Keys</h2>
          <KeysTable keys={keys} />
        </section>
      </div>
    </>
  );
}
