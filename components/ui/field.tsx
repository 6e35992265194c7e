import type { ComponentProps, ReactNode, SelectHTMLAttributes } from "react";
import { cn } from "./cn";

export const inputClass = (invalid?: boolean) =>
  cn(
    "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset",
    "placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600",
    invalid ? "ring-red-400" : "ring-slate-300",
  );

interface FieldProps {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  children?: ReactNode;
}

export function Field({ label, name, error, hint, children }: FieldProps) {
  const describedBy = error ? `${name}-error` : hint ? `${name}-hint` : undefined;
  return (
    <div className="space-y-1" data-field={name}>
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${name}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} role="alert" className="text-xs font-medium text-red-600" aria-describedby={describedBy}>
          {error}
        </p>
      )}
    </div>
  );
}

export function TextInput({
  name,
  error,
  ...props
}: ComponentProps<"input"> & { name: string; error?: string }) {
  return (
    <input
      id={name}
      name={name}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? `${name}-error` : undefined}
      {...props}
      className={cn(inputClass(!!error), props.className)}
    />
  );
}

export function Select({
  name,
  error,
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { name: string; error?: string }) {
  return (
    <select
      id={props.id ?? name}
      name={name}
      aria-invalid={error ? true : undefined}
      {...props}
      className={cn(inputClass(!!error), "pr-8", props.className)}
    >
      {children}
    </select>
  );
}
