"use client";
import type { ReactNode } from "react";
import { cn } from "./cn";

/** The control style of list filters; side by side, not full width like the form kit's inputs. */
export const filterControl =
  "rounded-md border-0 bg-white py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600";

/**
 * A labelled select of a filter bar that submits its form as soon as it changes, so filters apply
 * as they are chosen. `any` is the empty choice ("Any status").
 */
export function FilterSelect({
  name,
  label,
  any,
  value,
  options,
  children,
}: {
  name: string;
  label: string;
  any: string;
  value: string | number | undefined;
  options?: readonly { value: string | number; label: string }[];
  /** Instead of `options`, for grouped choices. */
  children?: ReactNode;
}) {
  return (
    <select
      name={name}
      aria-label={label}
      defaultValue={value ?? ""}
      onChange={(e) => e.currentTarget.form?.requestSubmit()}
      className={cn(filterControl, "pr-8 pl-3")}
    >
      <option value="">{any}</option>
      {options?.map((o) => (
        <option key={o.value} value={o.value}>{o.label}</option>
      ))}
      {children}
    </select>
  );
}
