"use client";
import { useId, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { removeUser, unlockUser, updateUserDisabled, updateUserRole } from "@/app/(dashboard)/settings/users/actions";
import { Badge, Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Select } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from "@/lib/rbac";
import type { UserListItem } from "@/lib/users";
import { callAction } from "@/components/ui/call-action";
import { LocalDateTime } from "@/components/ui/local-time";
import { ResetPasswordDialog } from "./reset-password-dialog";

function useAction() {
  const [pending, start] = useTransition();
  const run = (fn: (fd: FormData) => Promise<ActionResult>, fields: Record<string, string>) =>
    start(async () => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) fd.set(k, v);
      const result = await callAction(() => fn(fd));
      if (result.ok) toast.success(result.message ?? "Saved");
      else toast.error(result.error);
    });
  return { pending, run };
}

function SignInState({ user }: { user: UserListItem }) {
  if (user.signInDelayedUntil) {
    return (
      <span className="mt-1 block text-xs text-amber-700" data-testid="sign-in-delayed">
        Sign-in delayed until <LocalDateTime ms={Date.parse(user.signInDelayedUntil)} seconds /> ({user.failedSignIns} failed)
      </span>
    );
  }
  if (user.failedSignIns > 0) {
    return <span className="mt-1 block text-xs text-slate-500">{user.failedSignIns} failed sign-in{user.failedSignIns === 1 ? "" : "s"} lately</span>;
  }
  return null;
}

/**
 * The role select asks before it changes anything: the new role shows while a dialog names the
 * person, the old and the new role and what the new one may do; Cancel (or Escape) puts it back.
 */
function RoleChoice({ user, disabled, onConfirm }: { user: UserListItem; disabled: boolean; onConfirm: (role: string) => void }) {
  const [asked, setAsked] = useState<(typeof ROLES)[number] | null>(null);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = () => {
    ref.current?.close();
    setAsked(null);
  };
  return (
    <>
      <Select
        name={`role-${user.id}`}
        aria-label={`Role of ${user.email}`}
        value={asked ?? user.role}
        disabled={disabled}
        onChange={(e) => {
          const role = e.target.value as (typeof ROLES)[number];
          if (role === user.role) return;
          setAsked(role);
          ref.current?.showModal();
        }}
        className="w-36"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </Select>
      <dialog ref={ref} aria-labelledby={titleId} onClose={() => setAsked(null)} className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        {asked && (
          <div className="p-5">
            <h2 id={titleId} className="text-base font-semibold text-slate-900">
              Make {user.email} {/^[aeiou]/i.test(ROLE_LABELS[asked]) ? "an" : "a"} {ROLE_LABELS[asked].toLowerCase()}?
            </h2>
            <p className="mt-2 text-sm text-slate-600">
              From {ROLE_LABELS[user.role]} to {ROLE_LABELS[asked]} — {ROLE_DESCRIPTIONS[asked].toLowerCase()}. It applies at their next request.
            </p>
            <div className="mt-5 flex justify-end gap-2">
              <Button variant="secondary" onClick={close} autoFocus>
                Cancel
              </Button>
              <Button
                onClick={() => {
                  const role = asked;
                  close();
                  onConfirm(role);
                }}
              >
                Change role
              </Button>
            </div>
          </div>
        )}
      </dialog>
    </>
  );
}

/**
 * A table row from `md` up; below it a card (person, status, role and last sign-in, the actions)
 * placed by grid areas.
 */
function UserRow({ user, isSelf }: { user: UserListItem; isSelf: boolean }) {
  const { pending, run } = useAction();
  const [resetting, setResetting] = useState(false);
  const id = { userId: String(user.id) };
  return (
    <tr
      className="border-t border-slate-100 max-md:grid max-md:grid-cols-[minmax(0,1fr)_auto] max-md:items-center max-md:gap-x-3 max-md:gap-y-2 max-md:px-4 max-md:py-3 max-md:[grid-template-areas:'user_status'_'role_last'_'actions_actions']"
      data-testid={`user-row-${user.email}`}
    >
      <td className="px-4 py-3 wrap-anywhere max-md:[grid-area:user]">
        <div className="font-medium text-slate-900">{user.name}</div>
        <div className="text-xs text-slate-500">{user.email}</div>
      </td>
      <td className="px-4 py-3 max-md:[grid-area:role]">
        <RoleChoice user={user} disabled={pending} onConfirm={(role) => run(updateUserRole, { userId: String(user.id), role })} />
      </td>
      <td className="px-4 py-3 max-md:text-right max-md:[grid-area:status]">
        {user.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}
        <SignInState user={user} />
      </td>
      <td className="px-4 py-3 text-xs text-slate-500 max-md:text-right max-md:[grid-area:last]">
        <span className="md:hidden">Last sign-in </span>
        {user.lastSignInAt ? <LocalDateTime ms={Date.parse(user.lastSignInAt)} relative /> : "Never"}
      </td>
      <td className="space-x-1 px-4 py-3 text-right whitespace-nowrap max-md:flex max-md:flex-wrap max-md:gap-1.5 max-md:space-x-0 max-md:[grid-area:actions]">
        {user.failedSignIns > 0 && (
          <Button size="sm" variant="secondary" disabled={pending} onClick={() => run(unlockUser, id)} aria-label={`Unlock sign-in of ${user.email}`}>
            Unlock
          </Button>
        )}
        {!isSelf && (
          <Button size="sm" variant="secondary" disabled={pending} onClick={() => setResetting(true)} aria-label={`Reset password of ${user.email}`}>
            Reset password
          </Button>
        )}
        {resetting && <ResetPasswordDialog user={user} onClose={() => setResetting(false)} />}
        {user.disabled ? (
          <Button size="sm" variant="secondary" disabled={pending} onClick={() => run(updateUserDisabled, { userId: String(user.id), disabled: "false" })}>
            Enable
          </Button>
        ) : (
          <ConfirmButton
            label="Disable"
            title={`Disable ${user.email}?`}
            confirmLabel="Disable user"
            disabled={pending || isSelf}
            onConfirm={() => run(updateUserDisabled, { userId: String(user.id), disabled: "true" })}
          >
            They will be signed out at their next request and cannot sign in until enabled again. Their history stays.
          </ConfirmButton>
        )}
        <ConfirmButton
          label="Delete"
          title={`Delete ${user.email}?`}
          confirmLabel="Delete user"
          disabled={pending || isSelf}
          onConfirm={() => run(removeUser, id)}
        >
          Their account goes for good and their sessions end. The audit trail keeps what they did; clients, connections and keys they
          created stay.
        </ConfirmButton>
      </td>
    </tr>
  );
}

export function UsersTable({ users, currentUserId }: { users: UserListItem[]; currentUserId: number }) {
  return (
    <Card className="overflow-x-auto">
      <table className="w-full text-left text-sm max-md:block max-md:[&_td]:p-0 max-md:[&>tbody]:block">
        <caption className="sr-only">Users</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500 max-md:hidden">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">User</th>
            <th scope="col" className="px-4 py-2 font-medium">Role</th>
            <th scope="col" className="px-4 py-2 font-medium">Status</th>
            <th scope="col" className="px-4 py-2 font-medium">Last sign-in</th>
            <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <UserRow key={u.id} user={u} isSelf={u.id === currentUserId} />
          ))}
        </tbody>
      </table>
    </Card>
  );
}
