"use client";
import { startTransition, useActionState, type FormEvent } from "react";
import type { ActionResult } from "@/lib/actions";

type Action = (prev: ActionResult | undefined, fd: FormData) => Promise<ActionResult>;

/**
 * useActionState without React's automatic form reset: forms with controlled fields (toggles
 * that show or hide other fields) keep exactly what the user entered when the server says no.
 */
export function useFormAction(action: Action) {
  const [state, dispatch, pending] = useActionState(action, undefined);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return; // one submission at a time, whatever the button's state
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  return { state, onSubmit, pending };
}
