"use client";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { LocalDateTime } from "@/components/ui/local-time";

export interface CreatedKey {
  id: number;
  key: string;
  name: string;
  /** A connection the key may use, for the example call; none when it may use all or none. */
  connectionId: number | null;
  mayGetTokens: boolean;
  expiresAt: number | null;
}

/** A ready command that proves the key works: a token when it may get one, else the list. */
export function curlLine(base: string, k: Pick<CreatedKey, "key" | "connectionId" | "mayGetTokens">): string {
  const path = k.mayGetTokens && k.connectionId !== null ? `/api/v1/connections/${k.connectionId}/token` : "/api/v1/connections";
  return `curl -s -H "Authorization: Bearer ${k.key}" "${base}${path}"`;
}

/**
 * The new key, shown this once, in a modal dialog that takes focus (it can no longer sit above
 * the viewport unseen). Escape does not close it: the key would be gone; the button does.
 */
export function NewKeyPanel({ created, base, onDone }: { created: CreatedKey; base: string; onDone: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector<HTMLInputElement>("#new-api-key")?.focus();
  }, []);
  const done = () => {
    ref.current?.close();
    onDone();
  };
  return (
    <dialog
      ref={ref}
      aria-labelledby="new-api-key-title"
      onCancel={(e) => e.preventDefault()}
      className="m-auto w-[min(40rem,calc(100vw-2rem))] rounded-lg bg-transparent p-0 shadow-xl backdrop:bg-slate-900/50"
    >
      <OneTimeSecret
        id="new-api-key"
        testId="new-api-key"
        title={`API key “${created.name}” created`}
        label="New API key"
        value={created.key}
        warning="Copy it now: it will not be shown again. The console keeps only its hash."
        doneLabel="I have copied it, hide the key"
        onDone={done}
      >
        <div className="w-full space-y-1">
          <p className="text-sm font-medium text-slate-800">Try it</p>
          <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100" data-testid="new-api-key-curl">
            <code>{curlLine(base, created)}</code>
          </pre>
          <p className="text-xs text-slate-600">
            {created.expiresAt === null ? (
              "It never expires."
            ) : (
              <>
                It expires <LocalDateTime ms={created.expiresAt} /> ({Intl.DateTimeFormat().resolvedOptions().timeZone}).
              </>
            )}
          </p>
        </div>
        <Link href={`/settings/api-keys/${created.id}`} className="font-medium text-indigo-600 hover:underline">
          Open the key&apos;s page
        </Link>
      </OneTimeSecret>
    </dialog>
  );
}
