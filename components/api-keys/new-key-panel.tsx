"use client";
import Link from "next/link";
import { OneTimeSecret } from "@/components/ui/one-time-secret";

/** The new key, shown this once. */
export function NewKeyPanel({ id, apiKey, name, onDone }: { id: number; apiKey: string; name: string; onDone: () => void }) {
  return (
    <OneTimeSecret
      id="new-api-key"
      testId="new-api-key"
      title={`API key “${name}” created`}
      label="New API key"
      value={apiKey}
      warning="Copy it now: it will not be shown again. The console keeps only its hash."
      doneLabel="I have copied it, hide the key"
      onDone={onDone}
    >
      <Link href={`/settings/api-keys/${id}`} className="font-medium text-indigo-600 hover:underline">
        Open the key&apos;s page
      </Link>
    </OneTimeSecret>
  );
}
