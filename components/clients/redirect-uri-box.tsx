"use client";
import { Copy } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";

export function RedirectUriBox({ uri }: { uri: string }) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(uri);
      toast.success("Redirect URI copied");
    } catch {
      toast.error("Copying is blocked by the browser; select the text and copy it by hand.");
    }
  };
  return (
    <Card className="p-5">
      <h2 className="text-sm font-semibold">Redirect URI for Zoho&apos;s API console</h2>
      <div className="mt-3 flex gap-2">
        <input readOnly value={uri} aria-label="Redirect URI" className={`${inputClass()} font-mono`} onFocus={(e) => e.currentTarget.select()} />
        <Button variant="secondary" onClick={copy}>
          <Copy className="h-4 w-4" aria-hidden /> Copy
        </Button>
      </div>
      <ol className="mt-4 list-decimal space-y-1 pl-5 text-sm text-slate-600">
        <li>In Zoho&apos;s API console choose <strong>Add Client</strong> → <strong>Server-based Applications</strong>.</li>
        <li>Enter a client name and homepage, paste this URI under <strong>Authorized Redirect URIs</strong>, and click <strong>Create</strong>.</li>
        <li>Open the <strong>Client Secret</strong> tab and copy the client ID and client secret into this form.</li>
        <li>For users in other data centres, enable <strong>Multi-DC</strong> under Settings and tick the same DCs here.</li>
      </ol>
    </Card>
  );
}
