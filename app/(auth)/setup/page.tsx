import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { hasAnyUser } from "@/lib/users";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage() {
  // Closed for good once any user exists.
  if (await hasAnyUser()) redirect("/login");
  return <SetupForm />;
}
