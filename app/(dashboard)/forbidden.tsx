import type { Metadata } from "next";
import { Forbidden } from "@/components/layout/forbidden";
import { PageHeader } from "@/components/ui/card";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "No access" };

// Rendered with HTTP 403 when a page calls forbidden() (see requirePermission).
export default async function ForbiddenPage() {
  const user = await currentUser();
  return (
    <>
      <PageHeader title="No access" />
      <Forbidden role={user?.role} />
    </>
  );
}
