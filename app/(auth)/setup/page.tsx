import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { hasAnyUser } from "@/lib/users";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up" };

export default function SetupPage() {
  // Closed for good once any user exists.
  if (hasAnyUser()) redirect("/login");
  return <SetupForm />;
}
