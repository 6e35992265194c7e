"use client";
import { Copy } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";

type ClientType = "server" | "self";

/**
 * How to create the client in Zoho's API console. A server-based client needs this console's
 * redirect URI (shown whole, wrapping, with a copy button); a self client needs none.
 */
export function RedirectUriBox({ uri, clientType = "server" }: { uri: string; clientType?: ClientType }) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(uri);
      toast.success("Redirect URI copied");
    } catch {
      toast.error("Copying is blocked by the browser; select the text and copy it by hand.");
    }
  };
  if (clientType === "self") {
    return (
      <Card className="min-w-0 p-5">
        <h2 className="text-sm font-semibold">Creating a self client in Zoho&apos;s API console</h2>
        <ol className="mt-3 list-decimal space-y-1 pl-5 text-sm text-slate-600" data-testid="client-setup-steps" data-client-type="self">
          <li>In Zoho&apos;s API console choose <strong>Add Client</strong> → <strong>Self Client</strong> and click <strong>Create</strong>. A self client has no redirect URI.</li>
          <li>Open the <strong>Client Secret</strong> tab and copy the client ID and client secret into this form.</li>
          <li>To connect, open the <strong>Generate Code</strong> tab, enter the scopes and a duration, and paste the code under Connections → Self client before it expires.</li>
        </ol>
      </Card>
    );
  }
  return (
    <Card className="min-w-0 p-5">
      <h2 className="text-sm font-semibold">Redirect URI for Zoho&apos;s API console</h2>
      <div className="mt-3 space-y-2">
        <textarea
          readOnly
          value={uri}
          aria-label="Redirect URI"
          rows={2}
          spellCheck={false}
          className={`${inputClass()} field-sizing-content resize-none font-mono break-all`}
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button variant="secondary" onClick={copy}>
          <Copy className="h-4 w-4" aria-hidden /> Copy
        </Button>
      </div>
      <ol className="mt-4 list-decimal space-y-1 pl-5 text-sm text-slate-600" data-testid="client-setup-steps" data-client-type="server">
        <li>In Zoho&apos;s API console choose <strong>Add Client</strong> → <strong>Server-based Applications</strong>.</li>
        <li>Enter a client name and homepage, paste this URI under <strong>Authorized Redirect URIs</strong>, and click <strong>Create</strong>.</li>
        <li>Open the <strong>Client Secret</strong> tab and copy the client ID and client secret into this form.</li>
        <li>For users in other data centres, enable <strong>Multi-DC</strong> under Settings and tick the same DCs here.</li>
      </ol>
    </Card>
  );
}
