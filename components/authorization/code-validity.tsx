"use client";
import { useEffect, useState } from "react";

import { SELF_CLIENT_CODE_MINUTES, type SelfClientCodeMinutes } from "@/lib/zoho/limits";

export const CODE_MINUTES = SELF_CLIENT_CODE_MINUTES;
export type CodeMinutes = SelfClientCodeMinutes;

const mmss = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

/**
 * How long a pasted code is likely still good for, counted from when it was pasted (the closest
 * the console can know to when Zoho generated it) with the duration the user says they chose.
 */
export function CodeValidity({ pastedAt, minutes }: { pastedAt: number; minutes: CodeMinutes }) {
  const [now, setNow] = useState(pastedAt);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = pastedAt + minutes * 60_000 - now;
  if (left <= 0) {
    return (
      <p role="alert" className="text-xs font-medium text-amber-800" data-testid="code-validity">
        This code has most likely expired: it was pasted more than {minutes} minutes ago. Generate a new one in Zoho&apos;s API
        console and paste it.
      </p>
    );
  }
  return (
    <p className="text-xs text-slate-600" data-testid="code-validity">
      Valid for about <span className="font-mono tabular-nums">{mmss(left)}</span> more ({minutes} minutes from when it was pasted).
    </p>
  );
}
