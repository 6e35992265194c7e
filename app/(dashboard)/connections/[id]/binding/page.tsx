import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BindingForm } from "@/components/authorization/binding-form";
import { Alert, PageHeader } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/session";
import { discoverForConnection } from "@/lib/authorization/binding";
import { actorOf } from "@/lib/audit";
import { saveBindingAction } from "./actions";

export const metadata: Metadata = { title: "Organisation binding" };

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function BindingPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const user = await requirePermission("connections:connect");
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const attempt = Number((await searchParams).attempt);
  const load = await discoverForConnection(id, actorOf(user));
  if (!load.ok && load.reason === "missing") notFound();
  const name = load.connection?.name ?? `Connection ${id}`;
  return (
    <>
      <PageHeader
        title="Choose the organisation"
        description={
          <>
            <Link href="/connections" className="text-indigo-600 hover:underline">Connections</Link> /{" "}
            <Link href={`/connections/${id}`} className="text-indigo-600 hover:underline">{name}</Link> / A token is worth nothing
            without its organisation. These options were just fetched from Zoho with this connection&apos;s token.
          </>
        }
      />
      {Number.isInteger(attempt) && attempt > 0 && load.ok && load.needsChoice.length > 0 && (
        <div className="mb-4">
          <Alert tone="green">Connected. This Zoho user has several organisations: choose the one this connection works for.</Alert>
        </div>
      )}
      {load.ok ? (
        <BindingForm
          save={saveBindingAction}
          fields={{ connectionId: id, ...(Number.isInteger(attempt) && attempt > 0 ? { attempt } : {}) }}
          options={load.options}
          binding={load.connection.binding}
        />
      ) : (
        <Alert tone="amber">
          {load.message}{" "}
          <Link href={`/connections/${id}`} className="font-medium underline">
            Open the connection
          </Link>
        </Alert>
      )}
    </>
  );
}
