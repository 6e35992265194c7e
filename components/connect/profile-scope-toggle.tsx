import { PROFILE_SCOPE } from "@/lib/zoho/scope-string";

/** The scope the console adds on its own, shown as such and removable. */
export function ProfileScopeToggle({ defaultChecked = true, onChange }: { defaultChecked?: boolean; onChange?: (checked: boolean) => void }) {
  return (
    <label className="flex items-start gap-3 rounded-md bg-slate-50 p-3 text-sm ring-1 ring-inset ring-slate-200">
      <input
        type="checkbox"
        name="includeProfile"
        defaultChecked={defaultChecked}
        onChange={onChange ? (e) => onChange(e.target.checked) : undefined}
        className="mt-1"
      />
      <span>
        <span className="font-medium text-slate-900">
          Add <code className="rounded bg-white px-1 text-xs ring-1 ring-slate-200">{PROFILE_SCOPE}</code>
        </span>{" "}
        <span className="text-xs font-medium text-indigo-700">added by the console</span>
        <span className="mt-0.5 block text-xs text-slate-600">
          Lets the console learn which Zoho user consented, so it can keep count of Zoho&apos;s 20 refresh tokens per user and
          client. Untick it to leave the scope out; the budget is then not counted for this connection.
        </span>
      </span>
    </label>
  );
}
