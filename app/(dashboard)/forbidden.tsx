import type { Metadata } from "next";
import { Forbidden } from "@/components/layout/forbidden";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "No access" };

// Rendered with HTTP 403 when a page calls forbidden() (see requirePermission).
export default async function ForbiddenPage() {
  const user = await currentUser();
  return <Forbidden role={user?.role} />;
}
