import type { ReactNode } from "react";
import { requirePermission } from "@/lib/auth/session";

// The role check sits above loading.tsx's boundary: a refusal must be answered 403 before the
// skeleton streams (after that the status is already 200).
export default async function BindingLayout({ children }: { children: ReactNode }) {
  await requirePermission("connections:connect");
  return children;
}
