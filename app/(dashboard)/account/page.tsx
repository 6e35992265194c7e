import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { Alert, Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { ROLE_LABELS } from "@/lib/rbac";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ changed?: string }> }) {
  const user = await requireUser();
  const { changed } = await searchParams;
  return (
    <>
      <PageHeader title="Your account" description="Who you are signed in as, and your password." />
      <div className="max-w-xl space-y-6">
        {changed === "1" && <Alert tone="green">Your password was changed. Your other sessions have ended.</Alert>}
        <Card className="p-5">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-slate-500">Name</dt>
            <dd className="text-slate-900">{user.name}</dd>
            <dt className="text-slate-500">Email</dt>
            <dd className="text-slate-900">{user.email}</dd>
            <dt className="text-slate-500">Role</dt>
            <dd className="text-slate-900">{ROLE_LABELS[user.role]}</dd>
          </dl>
        </Card>
        <ChangePasswordForm />
      </div>
    </>
  );
}
