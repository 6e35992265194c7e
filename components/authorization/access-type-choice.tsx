import { cn } from "@/components/ui/cn";
import type { AccessType } from "@/lib/zoho/authorize-url";

const CHOICES: { value: AccessType; label: string; text: string }[] = [
  {
    value: "offline",
    label: "Offline (recommended)",
    text: "An access token and a refresh token: the console keeps the connection alive on its own. Zoho's consent page is always shown.",
  },
  {
    value: "online",
    label: "Online",
    text: "One hour, no refresh: an access token only. When it expires after an hour, the connection must be authorized again.",
  },
];

export function AccessTypeChoice({ defaultValue = "offline" }: { defaultValue?: AccessType }) {
  return (
    <fieldset>
      <legend className="sr-only">Access type</legend>
      <div className="grid gap-2 md:grid-cols-2">
        {CHOICES.map((c) => (
          <label key={c.value} className={cn("flex cursor-pointer items-start gap-3 rounded-md p-3 ring-1 ring-inset ring-slate-200 hover:bg-slate-50")}>
            <input type="radio" name="accessType" value={c.value} defaultChecked={c.value === defaultValue} className="mt-1" />
            <span>
              <span className="block text-sm font-medium text-slate-900">{c.label}</span>
              <span className="mt-0.5 block text-xs text-slate-600">{c.text}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
