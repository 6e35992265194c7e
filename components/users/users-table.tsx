"use client";
import { useTransition } from "react";
import { toast } from "sonner";
import { updateUserDisabled, updateUserRole } from "@/app/(dashboard)/settings/users/actions";
import { Badge, Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Select } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";
import { ROLE_LABELS, ROLES } from "@/lib/rbac";
import type { UserDto } from "@/lib/users";
import { callAction } from "@/components/ui/call-action";
import { LocalDateTime } from "@/components/ui/local-time";

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

function UserRow({ user, isSelf }: { user: UserDto; isSelf: boolean }) {
  const { pending, run } = useAction();
  return (
    <tr className="border-t border-slate-100" data-testid={`user-row-${user.email}`}>
      <td className="px-4 py-3">
        <div className="font-medium text-slate-900">{user.name}</div>
        <div className="text-xs text-slate-500">{user.email}</div>
      </td>
      <td className="px-4 py-3">
        <Select
          name={`role-${user.id}`}
          aria-label={`Role of ${user.email}`}
          value={user.role}
          disabled={pending}
          onChange={(e) => run(updateUserRole, { userId: String(user.id), role: e.target.value })}
          className="w-36"
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </Select>
      </td>
      <td className="px-4 py-3">{user.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}</td>
      <td className="px-4 py-3 text-xs text-slate-500">
        {user.lastSignInAt ? <LocalDateTime ms={Date.parse(user.lastSignInAt)} relative /> : "Never"}
      </td>
      <td className="px-4 py-3 text-right">
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
      </td>
    </tr>
  );
}

export function UsersTable({ users, currentUserId }: { users: UserDto[]; currentUserId: number }) {
  return (
    <Card className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Users</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
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
