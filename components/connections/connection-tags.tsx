"use client";
import { useQueryClient } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { addTagsAction, removeTagAction } from "@/app/(dashboard)/connections/[id]/actions";
import { queryKeys } from "@/components/query-keys";
import { Button } from "@/components/ui/button";
import { callAction } from "@/components/ui/call-action";
import { Card } from "@/components/ui/card";
import { CopyId } from "@/components/ui/copy-id";
import { inputClass } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions";
import { TAGS_PER_CONNECTION } from "@/lib/connections/tag-rules";
import { TagChip, tagListHref } from "./tag-chip";

/** The connection's id (to copy) and its tags: add them in a box, remove one with its ×. */
export function ConnectionTags({ connectionId, tags, canEdit }: { connectionId: number; tags: string[]; canEdit: boolean }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = (action: (fd: FormData) => Promise<ActionResult>, fields: Record<string, string>, after?: () => void) =>
    start(async () => {
      const fd = new FormData();
      fd.set("connectionId", String(connectionId));
      for (const [k, v] of Object.entries(fields)) fd.set(k, v);
      const r = await callAction(() => action(fd));
      if (r.ok) {
        setError(null);
        toast.success(r.message);
        after?.();
      } else {
        const fields = "fieldErrors" in r ? r.fieldErrors : undefined;
        setError(fields?.tags ?? fields?.tag ?? r.error);
      }
      await queryClient.invalidateQueries({ queryKey: queryKeys.connection(connectionId) });
      router.refresh();
    });
  return (
    <Card className="mb-6 p-4">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <CopyId id={connectionId} />
        {/* An empty list is no list: "No tags" stands beside it, not inside it. */}
        {tags.length === 0 && <span className="text-sm text-slate-500">No tags</span>}
        <div className="flex flex-wrap items-center gap-1.5" {...(tags.length ? { role: "list", "aria-label": "Tags" } : {})}>
          {tags.map((tag) => (
            <span role="listitem" key={tag}>
              <TagChip tag={tag} href={tagListHref(tag)}>
                {canEdit && (
                  <button
                    type="button"
                    aria-label={`Remove tag ${tag}`}
                    disabled={pending}
                    onClick={() => run(removeTagAction, { tag })}
                    className="rounded-full p-0.5 hover:bg-indigo-100"
                  >
                    <X className="h-3 w-3" aria-hidden />
                  </button>
                )}
              </TagChip>
            </span>
          ))}
        </div>
        {canEdit && tags.length < TAGS_PER_CONNECTION && (
          <form
            className="flex items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              run(addTagsAction, { tags: text }, () => setText(""));
            }}
          >
            <label htmlFor="add-tags" className="sr-only">Add tags</label>
            <input
              id="add-tags"
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder="env:prod, customer:acme"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "add-tags-error" : undefined}
              className={`${inputClass(!!error)} w-56 py-1`}
            />
            <Button type="submit" size="sm" variant="secondary" disabled={pending || !text.trim()}>
              Add tag
            </Button>
          </form>
        )}
      </div>
      {error && (
        <p id="add-tags-error" role="alert" className="mt-2 text-xs font-medium text-red-600">
          {error}
        </p>
      )}
    </Card>
  );
}
