import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { hasAnyUser } from "@/lib/users";
import { isLoginNotice } from "@/lib/auth/login-notices";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; notice?: string }> }) {
  if (!(await hasAnyUser())) redirect("/setup");
  if (await currentUser()) redirect("/");
  const { callbackUrl, notice } = await searchParams;
  return <LoginForm callbackUrl={typeof callbackUrl === "string" ? callbackUrl : "/"} notice={isLoginNotice(notice) ? notice : undefined} />;
}
