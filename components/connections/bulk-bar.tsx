"use client";
import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { toast } from "sonner";
import { bulkStepAction, previewBulkAction, startBulkAction } from "@/app/(dashboard)/connections/bulk-actions";
import { Button } from "@/components/ui/button";
import { callAction } from "@/components/ui/call-action";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { BULK_LABELS, CALLS_ZOHO, stepSize, THROTTLE_STOP, type BulkOperation, type BulkResult } from "@/lib/connections/bulk-rules";
import type { BulkPreview } from "@/lib/connections/bulk";
import { normalizeTag, tagProblem } from "@/lib/connections/tag-rules";

/** What is selected: chosen rows, or every connection the list's filter matches. */
export type Selection = { kind: "ids"; ids: number[] } | { kind: "filter"; filter: string; count: number };

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
const NAMES_SHOWN = 8;

interface Run {
  operation: BulkOperation;
  tag?: string;
  total: number;
  results: BulkResult[];
  done: boolean;
}

function selectionFields(selection: Selection, operation: BulkOperation, tag: string | undefined): FormData {
  const fd = new FormData();
  fd.set("operation", operation);
  if (selection.kind === "ids") fd.set("ids", selection.ids.join(","));
  else fd.set("filter", selection.filter);
  if (tag) fd.set("tag", tag);
  return fd;
}

/**
 * The bar over the list while connections are selected: the bulk actions, a confirmation that
 * names how many connections of which clients, then progress and a result per connection. The
 * browser drives the run step by step; the server paces every call to Zoho.
 */
export function BulkBar({ selection, onClear }: { selection: Selection | null; onClear: () => void }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [tagText, setTagText] = useState("");
  const [tagError, setTagError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [plan, setPlan] = useState<{ operation: BulkOperation; tag?: string; preview: BulkPreview } | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const running = !!run && !run.done;

  const count = selection ? (selection.kind === "ids" ? selection.ids.length : selection.count) : 0;

  async function choose(operation: BulkOperation) {
    if (!selection) return;
    let tag: string | undefined;
    if (operation === "tag_add" || operation === "tag_remove") {
      tag = normalizeTag(tagText);
      const problem = tagProblem(tag);
      setTagError(problem);
      if (problem) return;
    }
    setBusy(true);
    const r = await callAction(() => previewBulkAction(selectionFields(selection, operation, tag)));
    setBusy(false);
    if (!r.ok || !("preview" in r) || !r.preview) {
      toast.error(r.ok ? "Nothing to act on." : r.error);
      return;
    }
    setPlan({ operation, tag, preview: r.preview });
    dialog.current?.showModal();
  }

  async function confirm() {
    if (!plan || !selection) return;
    dialog.current?.close();
    const { operation, tag } = plan;
    setPlan(null);
    const started = await callAction(() => startBulkAction(selectionFields(selection, operation, tag)));
    if (!started.ok || !("ids" in started) || !started.ids) {
      toast.error(started.ok ? "Nothing to act on." : started.error);
      return;
    }
    const ids = started.ids;
    const names = new Map(plan.preview.targets.map((t) => [t.id, t.name]));
    let results: BulkResult[] = [];
    setRun({ operation, tag, total: ids.length, results, done: false });
    const size = stepSize(operation);
    for (let i = 0; i < ids.length; i += size) {
      const chunk = ids.slice(i, i + size);
      const fd = new FormData();
      fd.set("operation", operation);
      fd.set("ids", chunk.join(","));
      if (tag) fd.set("tag", tag);
      const step = await callAction(() => bulkStepAction(fd));
      const rest = ids.slice(i + size);
      if (!step.ok || !("results" in step) || !step.results) {
        // The console did not answer this step: say so for it and for the rest, and stop.
        const error = step.ok ? "No result came back." : step.error;
        results = [...results, ...[...chunk, ...rest].map((id) => ({ id, name: names.get(id) ?? `#${id}`, ok: false, skipped: true, message: `Not attempted: ${error}` }))];
        break;
      }
      results = [...results, ...step.results];
      if (CALLS_ZOHO.has(operation) && step.results.some((x) => x.throttled)) {
        results = [...results, ...rest.map((id) => ({ id, name: names.get(id) ?? `#${id}`, ok: false, skipped: true, message: THROTTLE_STOP }))];
        break;
      }
      setRun({ operation, tag, total: ids.length, results, done: false });
    }
    setRun({ operation, tag, total: ids.length, results, done: true });
    const failed = results.filter((x) => !x.ok).length;
    if (failed) toast.error(`${BULK_LABELS[operation]}: ${failed} of ${ids.length} did not succeed.`);
    else toast.success(`${BULK_LABELS[operation]}: done for ${plural(ids.length, "connection")}.`);
    if (operation !== "tag_add" && operation !== "tag_remove") onClear();
    await queryClient.invalidateQueries({ queryKey: ["connections"] });
    router.refresh();
  }

  const preview = plan?.preview;
  const revoke = plan?.operation === "revoke";
  return (
    <>
      {selection && count > 0 && (
        <div className="mb-3 flex flex-wrap items-center gap-2 rounded-lg bg-indigo-50 px-3 py-2 ring-1 ring-indigo-200" role="toolbar" aria-label="Bulk actions">
          <span className="mr-1 text-sm font-medium text-indigo-900" data-testid="selection-count">
            {plural(count, "connection")} selected{selection.kind === "filter" ? " (every match of the filter)" : ""}
          </span>
          {(["refresh", "verify", "keep_fresh_on", "keep_fresh_off"] as const).map((op) => (
            <Button key={op} size="sm" variant="secondary" disabled={busy || running} onClick={() => choose(op)}>
              {BULK_LABELS[op]}
            </Button>
          ))}
          <Button size="sm" variant="secondary" className="text-red-700" disabled={busy || running} onClick={() => choose("revoke")}>
            Revoke
          </Button>
          <span className="flex items-center gap-1">
            <label htmlFor="bulk-tag" className="sr-only">Tag for the selected connections</label>
            <input
              id="bulk-tag"
              value={tagText}
              onChange={(e) => setTagText(e.target.value)}
              placeholder="tag, e.g. env:prod"
              aria-invalid={tagError ? true : undefined}
              aria-describedby={tagError ? "bulk-tag-error" : undefined}
              className={cn(inputClass(!!tagError), "w-40 py-1 text-xs")}
            />
            <Button size="sm" variant="secondary" disabled={busy || running} onClick={() => choose("tag_add")}>
              Add tag
            </Button>
            <Button size="sm" variant="secondary" disabled={busy || running} onClick={() => choose("tag_remove")}>
              Remove tag
            </Button>
          </span>
          <Button size="sm" variant="ghost" className="ml-auto" onClick={onClear} disabled={running}>
            Clear selection
          </Button>
          {tagError && (
            <p id="bulk-tag-error" role="alert" className="w-full text-xs font-medium text-red-600">
              {tagError}
            </p>
          )}
        </div>
      )}

      <dialog ref={dialog} aria-labelledby={titleId} onClose={() => setPlan(null)} className="m-auto max-w-lg rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        {plan && preview && (
          <div className="p-5">
            <h2 id={titleId} className="text-base font-semibold text-slate-900">
              {BULK_LABELS[plan.operation]}
              {plan.tag ? ` ${plan.tag}` : ""}: {plural(preview.targets.length, "connection")}?
            </h2>
            <p className="mt-2 text-sm text-slate-700" data-testid="bulk-clients">
              Clients: {preview.clients.map((c) => `${c.name} (${c.count})`).join(", ")}.
            </p>
            <ul className="mt-2 list-disc pl-5 text-sm text-slate-600">
              {preview.targets.slice(0, NAMES_SHOWN).map((t) => (
                <li key={t.id}>{t.name}</li>
              ))}
              {preview.targets.length > NAMES_SHOWN && <li>and {preview.targets.length - NAMES_SHOWN} more</li>}
            </ul>
            {revoke && (
              <p className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800">
                Each is revoked at Zoho, one at a time to stay within Zoho&apos;s limits, and its stored tokens are wiped. Services using
                them stop working until someone reconnects. This cannot be undone.
              </p>
            )}
            {CALLS_ZOHO.has(plan.operation) && !revoke && (
              <p className="mt-3 text-sm text-slate-600">Zoho is called for one connection at a time, to stay within its limits.</p>
            )}
            <div className="mt-5 flex justify-end gap-2">
              <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
                Cancel
              </Button>
              <Button variant={revoke ? "danger" : "primary"} onClick={confirm}>
                {BULK_LABELS[plan.operation]} {plural(preview.targets.length, "connection")}
              </Button>
            </div>
          </div>
        )}
      </dialog>

      {run && <RunResults run={run} onClose={() => setRun(null)} />}
    </>
  );
}

function RunResults({ run, onClose }: { run: Run; onClose: () => void }) {
  const ok = run.results.filter((r) => r.ok).length;
  const failed = run.results.filter((r) => !r.ok && !r.skipped).length;
  const skipped = run.results.filter((r) => r.skipped).length;
  const label = `${BULK_LABELS[run.operation]}${run.tag ? ` ${run.tag}` : ""}`;
  return (
    <Card className="mb-4 p-4">
      <section aria-label="Bulk action results">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-sm font-semibold text-slate-900" role="status" aria-live="polite" data-testid="bulk-progress">
            {label}: {run.done ? "finished" : "working"} · {run.results.length} of {run.total} done · {ok} succeeded
            {failed ? `, ${failed} failed` : ""}
            {skipped ? `, ${skipped} not attempted` : ""}
          </h2>
          {run.done && (
            <Button size="sm" variant="ghost" onClick={onClose}>
              Close
            </Button>
          )}
        </div>
        <progress className="mt-2 h-1.5 w-full accent-indigo-600" value={run.results.length} max={run.total} aria-label={`${label} progress`} />
        <table className="mt-3 w-full text-left text-sm">
          <caption className="sr-only">Result per connection</caption>
          <thead className="text-xs text-slate-500 uppercase">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">Connection</th>
              <th scope="col" className="py-1 pr-3 font-medium">Result</th>
              <th scope="col" className="py-1 font-medium">Details</th>
            </tr>
          </thead>
          <tbody>
            {run.results.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 align-top" data-testid={`bulk-result-${r.id}`}>
                <td className="py-1.5 pr-3">
                  <Link href={`/connections/${r.id}`} className="text-indigo-700 hover:underline">{r.name}</Link>
                </td>
                <td className={cn("py-1.5 pr-3 font-medium whitespace-nowrap", r.ok ? "text-emerald-700" : r.skipped ? "text-slate-600" : "text-red-700")}>
                  {r.ok ? "Done" : r.skipped ? "Not attempted" : "Failed"}
                </td>
                <td className="py-1.5 text-slate-700">{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Card>
  );
}
