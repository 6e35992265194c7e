import { Field, Select } from "@/components/ui/field";
import { DEFAULT_LIFETIME_MINUTES, LIFETIME_CHOICES } from "./link-words";

/** "Link works for": the lifetimes a link may have, 72 hours chosen. */
export function LifetimeField({ error, hint }: { error?: string; hint?: string }) {
  return (
    <Field label="Link works for" name="lifetimeMinutes" error={error} hint={hint}>
      <Select name="lifetimeMinutes" defaultValue={String(DEFAULT_LIFETIME_MINUTES)} error={error}>
        {LIFETIME_CHOICES.map((c) => (
          <option key={c.minutes} value={c.minutes}>
            {c.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}
