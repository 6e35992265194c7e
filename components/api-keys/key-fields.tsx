"use client";
import { useState } from "react";
import { Field, TextInput, inputClass } from "@/components/ui/field";
import { useMounted } from "@/components/ui/local-time";
import { API_KEY_PERMISSIONS, PERMISSION_LABELS, usesConnections, type ApiKeyPermission } from "@/lib/api-keys/permissions";
import { ConnectionPicker } from "./connection-picker";
import { localInputToIso, toLocalInput, type ChosenConnection } from "./form-helpers";

interface KeyDefaults {
  name: string;
  allConnections: boolean;
  connections: ChosenConnection[];
  permissions: ApiKeyPermission[];
  expiresAt: number | null;
  /** The key's own limit; null takes the console's default. */
  rateLimitPerMinute: number | null;
}

/** A new key reaches only the connections chosen for it unless all are chosen on purpose. */
export const NEW_KEY_DEFAULTS: KeyDefaults = {
  name: "",
  allConnections: false,
  connections: [],
  permissions: ["read", "token"],
  expiresAt: null,
  rateLimitPerMinute: null,
};

const ErrorText = ({ id, error }: { id: string; error?: string }) =>
  error ? (
    <p id={id} role="alert" className="text-xs font-medium text-red-600">
      {error}
    </p>
  ) : null;

/**
 * The fields shared by the create and edit forms. Everything is held in the browser between
 * submits (no remount), so a refused submit keeps what was typed and ticked.
 */
export function KeyFields({
  defaults,
  errors,
  defaultRateLimit,
}: {
  defaults: KeyDefaults;
  errors?: Record<string, string>;
  defaultRateLimit: number;
}) {
  const [scope, setScope] = useState<"all" | "chosen">(defaults.allConnections ? "all" : "chosen");
  const [permissions, setPermissions] = useState<ApiKeyPermission[]>(defaults.permissions);
  const toggle = (p: ApiKeyPermission, on: boolean) => setPermissions((now) => (on ? [...now, p] : now.filter((x) => x !== p)));
  // Scraping metrics involves no connection: with nothing else ticked the choice does not apply.
  const connectionsApply = permissions.length === 0 || usesConnections(permissions);
  return (
    <>
      <Field label="Name" name="name" error={errors?.name} hint="Who uses it, e.g. “billing-sync (prod)”.">
        <TextInput name="name" required maxLength={100} autoComplete="off" defaultValue={defaults.name} error={errors?.name} />
      </Field>
      <ExpiryField defaultMs={defaults.expiresAt} error={errors?.expiresAt} />
      {/* A disabled fieldset sends none of its fields; the server stores a metrics-only key without connections. */}
      {!connectionsApply && <input type="hidden" name="scope" value="chosen" />}
      <fieldset className="space-y-2 md:col-span-2" disabled={!connectionsApply} aria-describedby={connectionsApply ? undefined : "scope-note"}>
        <legend className="text-sm font-medium text-slate-800">Connections</legend>
        {!connectionsApply && (
          <p id="scope-note" className="text-xs text-slate-500">
            A key that only reads metrics uses no connection; these choices apply once it may do more.
          </p>
        )}
        {(["all", "chosen"] as const).map((s) => (
          <label key={s} className="flex items-start gap-2 text-sm">
            <input type="radio" name="scope" value={s} checked={scope === s} onChange={() => setScope(s)} className="mt-1" />
            <span>
              <span className="font-medium">{s === "all" ? "All connections" : "Chosen connections"}</span>
              <span className="block text-xs text-slate-500">
                {s === "all" ? "Every connection, including ones added later." : "Only the connections chosen below."}
              </span>
            </span>
          </label>
        ))}
        <ErrorText id="scope-error" error={errors?.scope} />
        {/* Hidden, not unmounted, so switching back and forth keeps the choice; the server ignores it for "all". */}
        <div hidden={scope !== "chosen"}>
          <ConnectionPicker initial={defaults.connections} error={errors?.connectionIds} />
        </div>
      </fieldset>
      <fieldset className="space-y-2 md:col-span-2" aria-describedby={errors?.permissions ? "permissions-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">What it may do</legend>
        {API_KEY_PERMISSIONS.map((p) => (
          <div key={p} className="flex items-start gap-2 text-sm">
            <input
              id={`permission-${p}`}
              type="checkbox"
              name="permissions"
              value={p}
              checked={permissions.includes(p)}
              onChange={(e) => toggle(p, e.target.checked)}
              aria-describedby={`permission-${p}-hint`}
              className="mt-1"
            />
            <div>
              <label htmlFor={`permission-${p}`} className="font-medium">
                {PERMISSION_LABELS[p].label}
              </label>
              <p id={`permission-${p}-hint`} className="text-xs text-slate-500">
                {PERMISSION_LABELS[p].description}
              </p>
            </div>
          </div>
        ))}
        <ErrorText id="permissions-error" error={errors?.permissions} />
      </fieldset>
      <Field
        label="Rate limit per minute (optional)"
        name="rateLimitPerMinute"
        error={errors?.rateLimitPerMinute}
        hint={`Calls a minute before the console answers 429. Empty: the console's default, ${defaultRateLimit.toLocaleString("en-US")}.`}
      >
        <TextInput
          name="rateLimitPerMinute"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          placeholder={`Default: ${defaultRateLimit}`}
          defaultValue={defaults.rateLimitPerMinute ?? ""}
          error={errors?.rateLimitPerMinute}
        />
      </Field>
    </>
  );
}

/**
 * The browser's datetime-local has no zone: the visible input is local time, and a hidden
 * `expiresAt` carries the same instant as ISO. A saved expiry appears only once mounted, since
 * the server cannot know the browser's zone.
 */
function ExpiryField({ defaultMs, error }: { defaultMs: number | null; error?: string }) {
  const mounted = useMounted();
  const [typed, setTyped] = useState<string | null>(null);
  const shown = typed ?? (mounted && defaultMs !== null ? toLocalInput(defaultMs) : "");
  const iso = typed !== null ? localInputToIso(typed) : defaultMs !== null ? new Date(defaultMs).toISOString() : "";
  return (
    <Field
      label="Expires (optional)"
      name="expiresAtLocal"
      error={error}
      hint={`Your local time${mounted ? ` (${Intl.DateTimeFormat().resolvedOptions().timeZone})` : ""}. Empty: the key never expires.`}
    >
      <input type="hidden" name="expiresAt" value={iso} />
      <input
        id="expiresAtLocal"
        type="datetime-local"
        value={shown}
        onChange={(e) => setTyped(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "expiresAtLocal-error" : "expiresAtLocal-hint"}
        className={inputClass(!!error)}
      />
    </Field>
  );
}
