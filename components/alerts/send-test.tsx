"use client";
import { Loader2 } from "lucide-react";
import { useState, useTransition } from "react";
import { sendTestAction, type SendTestResult } from "@/app/(dashboard)/settings/alerts/actions";
import { Alert, Card } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { callAction } from "@/components/ui/call-action";
import { LocalDateTime } from "@/components/ui/local-time";

/** Sends a `test` event now and shows what the receiver answered, right under the button. */
export function SendTest({ id, kind }: { id: number; kind: "webhook" | "slack" | "email" }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<SendTestResult | { ok: false; error: string }>();
  const send = () =>
    start(async () => {
      const fd = new FormData();
      fd.set("id", String(id));
      setResult(await callAction(() => sendTestAction(fd)));
    });
  return (
    <Card className="p-5">
      <h2 className="text-sm font-semibold">Send a test</h2>
      <p className="mt-1 text-sm text-slate-600">
        {kind === "email" ? "Sends a test e-mail to the recipients now" : "Sends a test event now"}, past any event filter, and shows what
        came back. It is listed in the delivery log below.
      </p>
      <div className="mt-3">
        <Button onClick={send} disabled={pending} aria-busy={pending || undefined}>
          {pending && <Loader2 className="h-4 w-4 animate-spin" aria-hidden />}
          {pending ? "Sending…" : "Send test"}
        </Button>
      </div>
      <div className="mt-3" aria-live="polite">
        {result && !result.ok && <Alert>{result.error}</Alert>}
        {result?.ok && result.test && <TestOutcomeView test={result.test} kind={kind} />}
      </div>
    </Card>
  );
}

function TestOutcomeView({ test, kind }: { test: NonNullable<SendTestResult["test"]>; kind: "webhook" | "slack" | "email" }) {
  return (
    <div role="status" data-testid="send-test-result" className="space-y-2">
      <Alert tone={test.delivered ? "green" : "red"}>
        {test.delivered ? "Delivered." : "Not delivered."}
        {test.state === "pending" && test.nextAttemptAt !== null && (
          <>
            {" "}The dispatcher tries again at <LocalDateTime ms={test.nextAttemptAt} seconds /> and keeps retrying with growing pauses for 24 hours.
          </>
        )}
        {test.state === "failed" && " This answer is final: it is not retried. Fix the destination, then send another test."}
      </Alert>
      <dl className="grid gap-2 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-xs text-slate-500">{kind === "email" ? "SMTP reply code" : "HTTP status"}</dt>
          <dd className="tabular-nums">{test.status ?? "none (no answer)"}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Latency</dt>
          <dd className="tabular-nums">{test.latencyMs} ms</dd>
        </div>
        {test.error && (
          <div className="sm:col-span-3">
            <dt className="text-xs text-slate-500">Error</dt>
            <dd className="text-red-700">{test.error}</dd>
          </div>
        )}
        {test.responseHead && (
          <div className="sm:col-span-3">
            <dt className="text-xs text-slate-500">Start of the answer</dt>
            <dd>
              <pre className="max-h-40 overflow-auto rounded bg-slate-100 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all">{test.responseHead}</pre>
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}
