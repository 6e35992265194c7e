import { PROFILE_SCOPE } from "@/lib/zoho/scope-string";

/**
 * The scope the console adds on its own: removable, or, when `requiredBecause` says why the
 * console cannot do without it, shown ticked and fixed (and still sent with the form).
 */
export function ProfileScopeToggle({
  defaultChecked = true,
  onChange,
  requiredBecause,
}: {
  defaultChecked?: boolean;
  onChange?: (checked: boolean) => void;
  requiredBecause?: string;
}) {
  const required = requiredBecause !== undefined;
  return (
    <label className="flex items-start gap-3 rounded-md bg-slate-50 p-3 text-sm ring-1 ring-inset ring-slate-200">
      {required ? (
        <>
          <input type="hidden" name="includeProfile" value="on" />
          <input type="checkbox" checked disabled readOnly aria-describedby="profile-scope-why" className="mt-1" />
        </>
      ) : (
        <input
          type="checkbox"
          name="includeProfile"
          defaultChecked={defaultChecked}
          onChange={onChange ? (e) => onChange(e.target.checked) : undefined}
          className="mt-1"
        />
      )}
      <span>
        <span className="font-medium text-slate-900">
          Add <code className="rounded bg-white px-1 text-xs ring-1 ring-slate-200">{PROFILE_SCOPE}</code>
        </span>{" "}
        <span className="text-xs font-medium text-indigo-700">{required ? "required" : "added by the console"}</span>
        {required ? (
          <span id="profile-scope-why" className="mt-0.5 block text-xs text-slate-600">
            {requiredBecause}
          </span>
        ) : (
          <span className="mt-0.5 block text-xs text-slate-600">
            Lets the console learn which Zoho user consented, so it can keep count of Zoho&apos;s 20 refresh tokens per user and
            client. Untick it to leave the scope out; the budget is then not counted for this connection.
          </span>
        )}
      </span>
    </label>
  );
}
