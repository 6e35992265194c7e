import { cn } from "@/components/ui/cn";

/** How much of the access token's life is left, as a bar; the lifetime is Zoho's hour unless known. */
export function ValidityBar({ expiresAt, mintedAt, now, muted }: { expiresAt: number | null; mintedAt: number | null; now: number; muted?: boolean }) {
  const lifetime = expiresAt && mintedAt && expiresAt > mintedAt ? expiresAt - mintedAt : 3_600_000;
  const left = expiresAt ? Math.max(0, expiresAt - now) : 0;
  const pct = Math.min(100, Math.round((left / lifetime) * 1000) / 10);
  const tone = pct === 0 || muted ? "bg-slate-300" : left < 10 * 60_000 ? "bg-amber-500" : "bg-emerald-500";
  return (
    <div
      role="meter"
      aria-label="Access token validity"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-100"
    >
      <div className={cn("h-full rounded-full transition-[width] duration-1000", tone)} style={{ width: `${pct}%` }} suppressHydrationWarning />
    </div>
  );
}
