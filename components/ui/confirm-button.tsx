"use client";
import { useId, useRef, type ReactNode } from "react";
import { Button, type ButtonVariant } from "./button";

// A native <dialog>: focus is trapped, Escape cancels, and it works without any library.
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  variant = "danger",
  onConfirm,
  disabled,
}: {
  label: ReactNode;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  variant?: ButtonVariant;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <Button size="sm" variant={variant === "danger" ? "secondary" : variant} disabled={disabled} onClick={() => ref.current?.showModal()}>
        {label}
      </Button>
      <dialog ref={ref} aria-labelledby={titleId} className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        <div className="p-5">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">{title}</h2>
          <div className="mt-2 text-sm text-slate-600">{children}</div>
          <div className="mt-5 flex justify-end gap-2">
            <Button variant="secondary" onClick={() => ref.current?.close()} autoFocus>
              Cancel
            </Button>
            <Button
              variant={variant}
              onClick={() => {
                ref.current?.close();
                onConfirm();
              }}
            >
              {confirmLabel}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
