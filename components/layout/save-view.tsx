"use client";
import { Bookmark } from "lucide-react";
import { usePathname, useSearchParams } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { saveViewAction } from "@/app/(dashboard)/views/actions";
import { Button } from "@/components/ui/button";
import { callAction } from "@/components/ui/call-action";
import { inputClass } from "@/components/ui/field";

/** "Save view": names the page's current filters (its URL) and adds them to the sidebar. */
export function SaveView() {
  const pathname = usePathname();
  const params = useSearchParams();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const save = () =>
    start(async () => {
      const fd = new FormData();
      fd.set("name", name);
      fd.set("href", `${pathname}?${params.toString()}`);
      const r = await callAction(() => saveViewAction(fd));
      if (r.ok) {
        toast.success(r.message);
        dialog.current?.close();
        setName("");
        setError(null);
      } else setError(("fieldErrors" in r && (r.fieldErrors?.name ?? r.fieldErrors?.href)) || r.error);
    });
  return (
    <>
      <Button variant="secondary" onClick={() => dialog.current?.showModal()}>
        <Bookmark className="h-4 w-4" aria-hidden /> Save view
      </Button>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-sm rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        {/* Not a form: this sits inside the page's filter form, and forms do not nest. */}
        <div className="space-y-3 p-5">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">Save this view</h2>
          <p className="text-sm text-slate-600">Its filters get a link in your sidebar; only you see it.</p>
          <label htmlFor="view-name" className="block text-sm font-medium text-slate-800">Name</label>
          <input
            id="view-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={60}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "view-name-error" : undefined}
            className={inputClass(!!error)}
            onKeyDown={(e) => {
              // Enter saves the view rather than submitting the filter form around it.
              if (e.key === "Enter") {
                e.preventDefault();
                if (name.trim() && !pending) save();
              }
            }}
          />
          {error && (
            <p id="view-name-error" role="alert" className="text-xs font-medium text-red-600">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()}>Cancel</Button>
            <Button onClick={save} disabled={pending || !name.trim()}>Save</Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
