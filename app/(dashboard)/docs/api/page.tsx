import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { SwaggerViewer } from "@/components/docs/swagger-viewer";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";

export const metadata: Metadata = { title: "API docs" };

const example = (base: string) => ({
  token: `curl -s -H "Authorization: Bearer $CONSOLE_API_KEY" \\
  "${base}/api/v1/connections/12/token?min_validity=300"`,
  desk: `curl -s -H "Authorization: Bearer $CONSOLE_API_KEY" \\
  "${base}/api/v1/connections/12/proxy/desk/api/v1/tickets?limit=10"`,
  direct: `TOKEN=$(curl -s -H "Authorization: Bearer $CONSOLE_API_KEY" \\
  "${base}/api/v1/connections/12/token" | jq -r .authorization)
curl -s -H "Authorization: $TOKEN" -H "orgId: <services.desk.org_id>" \\
  "<services.desk.base_url>/tickets"`,
});

export default async function ApiDocsPage() {
  await requireUser();
  const base = config().CONSOLE_PUBLIC_URL;
  const ex = example(base);
  return (
    <>
      <PageHeader
        title="API for services"
        description="Services ask the console for a valid Zoho token, or have it make the Zoho call, with one API key instead of Zoho secrets."
      />
      <Card className="mb-6 space-y-4 p-5 text-sm">
        <p>
          Send a key as <code className="font-mono">Authorization: Bearer zoc_…</code>. Admins create keys, limited to chosen connections and
          operations, under <Link className="font-medium text-indigo-600 hover:underline" href="/settings/api-keys">Settings → API keys</Link>.
          The connection id is the number in a connection page&apos;s address. The machine-readable document is{" "}
          <a className="font-medium text-indigo-600 hover:underline" href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
        </p>
        <Example title="A token with at least five minutes left" code={ex.token} />
        <Example title="A Desk call made by the console (token and orgId injected)" code={ex.desk} />
        <Example title="Or call Zoho yourself with what the token answer says" code={ex.direct} />
      </Card>
      <SwaggerViewer specUrl="/api/v1/openapi.json" />
    </>
  );
}

function Example({ title, code }: { title: string; code: string }) {
  return (
    <figure>
      <figcaption className="mb-1 font-medium text-slate-700">{title}</figcaption>
      <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
