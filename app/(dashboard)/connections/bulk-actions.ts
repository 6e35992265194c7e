"use server";
import { revalidatePath } from "next/cache";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { actorOf } from "@/lib/audit";
import { bulkPreview, recordBulk, runBulk, type BulkPreview } from "@/lib/connections/bulk";
import type { BulkResult } from "@/lib/connections/bulk-rules";
import { bulkPreviewInput, bulkStepInput } from "@/lib/connections/bulk-schemas";

// The list's bulk actions, in three steps the browser drives so it can show progress: preview
// (what the confirmation names), start (the bulk audit event, and the ids to run), then steps
// of one connection (calls to Zoho) or a few (tags, keep fresh), each with its results.

export type BulkPreviewResult = ActionResult & { preview?: BulkPreview };

const selectionOf = (v: { ids?: number[]; filter?: string }) => (v.ids ? { ids: v.ids } : { filter: v.filter ?? "" });

export async function previewBulkAction(input: FormData): Promise<BulkPreviewResult> {
  let preview: BulkPreview | undefined;
  const r = await guardedAction("connections:operate", "connection.bulk", bulkPreviewInput, input, async (v) => {
    preview = await bulkPreview(selectionOf(v));
    return { ok: true };
  });
  return r.ok ? { ...r, preview } : r;
}

export type BulkStartResult = ActionResult & { ids?: number[] };

export async function startBulkAction(input: FormData): Promise<BulkStartResult> {
  let ids: number[] | undefined;
  const r = await guardedAction("connections:operate", "connection.bulk", bulkPreviewInput, input, async (v, user) => {
    // Read again at confirmation: what runs is what the bulk event records.
    const preview = await bulkPreview(selectionOf(v));
    await recordBulk(v.operation, preview, actorOf(user), { ip: await requestIp(), filter: v.ids ? undefined : v.filter, tag: v.tag });
    ids = preview.targets.map((t) => t.id);
    return { ok: true };
  });
  return r.ok ? { ...r, ids } : r;
}

export type BulkStepResult = ActionResult & { results?: BulkResult[] };

export async function bulkStepAction(input: FormData): Promise<BulkStepResult> {
  let results: BulkResult[] | undefined;
  const r = await guardedAction("connections:operate", "connection.bulk", bulkStepInput, input, async (v, user) => {
    results = await runBulk(v.operation, v.ids, actorOf(user), { ip: await requestIp(), tag: v.tag });
    revalidatePath("/connections");
    for (const id of v.ids) revalidatePath(`/connections/${id}`);
    return { ok: true };
  });
  return r.ok ? { ...r, results } : r;
}
