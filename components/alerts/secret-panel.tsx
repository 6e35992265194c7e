"use client";
import type { ReactNode } from "react";
import { OneTimeSecret } from "@/components/ui/one-time-secret";

/** A webhook's signing secret, shown this once (after create or rotate). */
export function SecretPanel({ title, secret, note, onDone }: { title: string; secret: string; note?: ReactNode; onDone: () => void }) {
  return (
    <OneTimeSecret
      id="signing-secret"
      testId="webhook-secret"
      title={title}
      label="Signing secret"
      value={secret}
      warning="Store it now: it is not shown again. The receiver checks each request's webhook-signature header with it."
      doneLabel="I have stored it, hide the secret"
      onDone={onDone}
    >
      {note && <p className="w-full text-slate-700">{note}</p>}
    </OneTimeSecret>
  );
}
