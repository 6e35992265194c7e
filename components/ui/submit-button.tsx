import { Loader2 } from "lucide-react";
import type { ReactNode } from "react";
import { Button, type ButtonVariant } from "./button";

/**
 * A form's submit button that shows it is working: while `pending` it is disabled (so a second
 * press cannot send the form again), spins, and says what it is doing.
 */
export function SubmitButton({
  pending,
  pendingLabel,
  children,
  disabled,
  variant,
  size,
  className,
  "aria-label": ariaLabel,
}: {
  pending: boolean;
  pendingLabel: string;
  children: ReactNode;
  disabled?: boolean;
  variant?: ButtonVariant;
  size?: "sm" | "md";
  className?: string;
  /** Names the button when its visible words alone are ambiguous (one of several in a list). */
  "aria-label"?: string;
}) {
  return (
    <Button
      type="submit"
      variant={variant}
      size={size}
      className={className}
      disabled={pending || disabled}
      aria-busy={pending || undefined}
      aria-label={ariaLabel}
    >
      {pending && <Loader2 className="h-4 w-4 animate-spin" aria-hidden />}
      {pending ? pendingLabel : children}
    </Button>
  );
}
