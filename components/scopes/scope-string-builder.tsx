"use client";
import { useState, type FormEvent } from "react";
import { ClipboardCopy, RotateCcw } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PROFILE_SCOPE } from "@/lib/zoho/scope-string";
import { ScopePicker } from "./scope-picker";

const FIELD = "scope";

/**
 * For scripts and Zoho's Self Client page, which take a typed scope string: assemble it here
 * from the catalogue and copy it. A form, so an empty choice is stopped the same way as in the
 * connect wizard.
 */
export function ScopeStringBuilder() {
  const [count, setCount] = useState(0);

  const copy = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    // Read the field the picker submits, so what is copied is exactly what a form would send.
    const value = String(new FormData(e.currentTarget).get(FIELD) ?? "");
    try {
      await navigator.clipboard.writeText(value);
      toast.success("Scope string copied", { description: value });
    } catch {
      toast.error("The browser blocked copying. Select the scope string and copy it by hand.");
    }
  };

  return (
    <Card className="p-5">
      <h2 id="builder-title" className="text-base font-semibold text-slate-900">
        Build a scope string
      </h2>
      <p className="mt-1 mb-4 text-sm text-slate-600">
        Pick what a job needs and copy the string for a script or Zoho&apos;s Self Client page. Connections made from this console also
        get <code className="font-mono text-xs">{PROFILE_SCOPE}</code>, added for you.
      </p>
      <form onSubmit={copy} aria-labelledby="builder-title">
        <ScopePicker name={FIELD} required onChange={(s) => setCount(s.length)} />
        <div className="mt-4 flex flex-wrap gap-2 border-t border-slate-100 pt-4">
          <Button type="submit">
            <ClipboardCopy className="h-4 w-4" aria-hidden />
            Copy scope string
          </Button>
          <Button type="reset" variant="ghost" disabled={count === 0}>
            <RotateCcw className="h-4 w-4" aria-hidden />
            Start over
          </Button>
        </div>
      </form>
    </Card>
  );
}
