"use client";
import { startTransition, useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions";
import { callAction } from "./call-action";
import { Alert } from "./card";
import { cn } from "./cn";

export type Failure = Extract<ActionResult, { ok: false }>;
type Success<R> = Extract<R, { ok: true }>;

/** What a form shows after an answer: the refusal, and which round of fields is mounted. */
export interface FormState {
  failure?: Failure;
  /** Bumped by every success: the form remounts, a create form empty, an edit form from what was saved. */
  round: number;
}

/** A refusal keeps the fields as typed; a success clears the refusal and remounts the fields. */
export function settle(state: FormState, result: ActionResult): FormState {
  return result.ok ? { failure: undefined, round: state.round + 1 } : { failure: result, round: state.round };
}

/** The one rule for the form-level message: shown unless a field already says the same words. */
export function formLevelError(failure: Failure | undefined): string | undefined {
  if (!failure) return undefined;
  return Object.values(failure.fieldErrors ?? {}).includes(failure.error) ? undefined : failure.error;
}

/**
 * Sends the form's data once. A console that does not answer becomes a refusal the form shows;
 * a success is said in a toast, or handed to `onSuccess` when the form shows it itself.
 */
export async function submitOnce<R extends ActionResult>(
  action: (formData: FormData) => Promise<R>,
  data: FormData,
  onSuccess?: (result: Success<R>, data: FormData) => void,
): Promise<R | Failure> {
  const result = await callAction(() => action(data));
  if (result.ok) {
    if (onSuccess) onSuccess(result as Success<R>, data);
    else if (result.message) toast.success(result.message);
  }
  return result;
}

/**
 * The one way a form submits a server action (buttons and switches use callAction directly):
 *
 *   const f = useActionForm(updateKey);
 *   <form key={f.round} {...f.props}>
 *     <FormError failure={f.failure} />            first in the form, above the fields
 *     <Field … error={f.errors?.name}>             field messages sit by their field
 *     <SubmitButton pending={f.pending} …>
 *
 * The action takes the form's FormData and answers an ActionResult through guardedAction, which
 * performs a success's `redirect` itself. A refusal keeps everything typed (no React form reset)
 * and moves focus to the first field to fix, or to the form-level message; a success toasts its
 * message, or hands the result to `onSuccess` when the form shows it itself (a one-time secret),
 * and remounts the fields. One submission at a time. Before hydration the form posts to the
 * action natively, so a press that early never puts fields in the address bar.
 */
export function useActionForm<R extends ActionResult>(
  action: (formData: FormData) => Promise<R>,
  { onSuccess }: { onSuccess?: (result: Success<R>, data: FormData) => void } = {},
) {
  const [pending, start] = useTransition();
  const [state, setState] = useState<FormState>({ round: 0 });
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!state.failure) return;
    const target =
      form.current?.querySelector<HTMLElement>(":is(input, select, textarea)[aria-invalid=true]") ??
      form.current?.querySelector<HTMLElement>("[data-form-error]");
    target?.scrollIntoView({ block: "center" });
    target?.focus({ preventScroll: true });
  }, [state.failure]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    start(async () => {
      const result = await submitOnce(action, data, onSuccess);
      // A transition again after the await: React then commits it together with the page's
      // refreshed props (the action's revalidatePath), so remounted fields start from what was
      // saved. A plain update would remount them first, from the props before the save.
      startTransition(() => setState((s) => settle(s, result)));
    });
  };

  // Only for a press before hydration (the answer is then the page the action leads to).
  const native: (formData: FormData) => void = action;
  return {
    /** Spread on the <form>; put `round` in its key. */
    props: { ref: form, action: native, onSubmit, noValidate: true },
    round: state.round,
    pending,
    failure: state.failure,
    errors: state.failure?.fieldErrors,
  };
}

/** The form-level message: one region, first in the form, focusable so a refusal can take focus. */
export function FormError({ failure, className }: { failure: Failure | undefined; className?: string }) {
  const message = formLevelError(failure);
  if (!message) return null;
  return (
    <div
      data-form-error
      data-testid="form-error"
      tabIndex={-1}
      className={cn("rounded-md outline-none focus-visible:ring-2 focus-visible:ring-indigo-600", className)}
    >
      <Alert>{message}</Alert>
    </div>
  );
}
