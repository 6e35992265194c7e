import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/card";
import { AddUserForm } from "@/components/users/add-user-form";
import { UsersTable } from "@/components/users/users-table";
import { requirePermission } from "@/lib/auth/session";
import { listUsers } from "@/lib/users";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await requirePermission("users:manage");
  const users = await listUsers();
  return (
    <>
      <PageHeader
        title="Users"
        description={
          <>
            <Link href="/settings" className="text-indigo-600 hover:underline">Settings</Link> / People who can sign in to this console and what they may do.
          </>
        }
      />
      <div className="space-y-6">
        <AddUserForm />
        <UsersTable users={users} currentUserId={user.id} />
      </div>
    </>
  );
}
